package io.amply.command.lookup;

import io.amply.db.TenantContext;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.SqlTypeValue;
import org.springframework.jdbc.core.StatementCreatorUtils;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Sets the row-level-security organisation ({@code amply_set_org}) for the current transaction,
 * only when it changes. A donation's request reads and writes under one organisation many times
 * (lookups, the events' lookup rows, the read-back), and each setting is a round trip to
 * PostgreSQL. The setting lasts until its transaction ends, so what was set is remembered for the
 * transaction's connection (a transaction started inside another, {@code REQUIRES_NEW}, has a
 * connection of its own and sets its own) and forgotten when that transaction completes. Outside
 * a transaction every call sets it, as before.
 */
@Component
public class OrganisationContext {

    /** The memo's key: the transaction's connection holder, by identity. */
    private record Key(Object connectionHolder) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.connectionHolder == connectionHolder;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(connectionHolder);
        }
    }

    private final JdbcTemplate jdbc;
    private final DataSource dataSource;

    OrganisationContext(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.dataSource = Objects.requireNonNull(jdbc.getDataSource());
    }

    /** Acts for {@code organisationId} (null: for no organisation) until the transaction ends. */
    public void enter(String organisationId) {
        Key key = transactionKey();
        Object current = key == null ? null : TransactionSynchronizationManager.getResource(key);
        if (key != null && wanted(organisationId).equals(current)) {
            return;
        }
        jdbc.query(TenantContext.SET_ORGANISATION, rs -> null, organisationId);
        if (key != null) {
            remember(key, current, wanted(organisationId));
        }
    }

    /**
     * A query as {@code organisationId}, in the current transaction: if the setting has to change,
     * it is sent together with the query, one round trip for both (the driver sends the two
     * statements before it waits for either; the setting runs first). A donation's first look-up
     * is this.
     */
    public <T> List<T> query(String organisationId, String sql, RowMapper<T> rows, Object... args) {
        return query(organisationId, null, sql, rows, args);
    }

    /**
     * {@link #query(String, String, RowMapper, Object...)} after {@code first}, a statement with one
     * parameter, the organisation's id, whose result is not read (taking a lock, say), in the same round
     * trip: first runs before the query, so the query reads what is committed once it has.
     */
    public <T> List<T> queryAfter(String organisationId, String first, String sql, RowMapper<T> rows, Object... args) {
        return query(organisationId, first, sql, rows, args);
    }

    private <T> List<T> query(String organisationId, String first, String sql, RowMapper<T> rows, Object... args) {
        Key key = transactionKey();
        if (key == null) {
            enter(organisationId);
            if (first != null) {
                jdbc.query(first, rs -> null, organisationId);
            }
            return jdbc.query(sql, rows, args);
        }
        Object current = TransactionSynchronizationManager.getResource(key);
        boolean set = !wanted(organisationId).equals(current);
        if (!set && first == null) {
            return jdbc.query(sql, rows, args);
        }
        return jdbc.execute((ConnectionCallback<List<T>>) connection -> {
            String all = (set ? TenantContext.SET_ORGANISATION + ";\n" : "") + (first != null ? first + ";\n" : "") + sql;
            try (PreparedStatement statements = connection.prepareStatement(all)) {
                int parameter = 1;
                if (set) {
                    statements.setString(parameter++, organisationId);
                }
                if (first != null) {
                    statements.setString(parameter++, organisationId);
                }
                for (Object arg : args) {
                    StatementCreatorUtils.setParameterValue(statements, parameter++, SqlTypeValue.TYPE_UNKNOWN, arg);
                }
                statements.execute(); // the first statement's result
                if (set) {
                    // it ran (one failing fails the call): the setting stands for the transaction
                    // now, whatever happens to the rows below
                    remember(key, current, wanted(organisationId));
                }
                if (set && first != null && !statements.getMoreResults()) {
                    throw new IllegalStateException("no result for: " + first);
                }
                if (!statements.getMoreResults()) {
                    throw new IllegalStateException("not a query, so it cannot be sent with the statements before it: " + sql);
                }
                List<T> found = new ArrayList<>();
                try (ResultSet rs = statements.getResultSet()) {
                    while (rs.next()) {
                        found.add(rows.mapRow(rs, found.size()));
                    }
                }
                return found;
            }
        });
    }

    private static String wanted(String organisationId) {
        return organisationId == null ? "" : organisationId; // amply_set_org(NULL) sets ''
    }

    /** The current transaction's memo key, or null outside a transaction (every call then sets it). */
    private Key transactionKey() {
        Object holder = TransactionSynchronizationManager.getResource(dataSource);
        return holder == null || !TransactionSynchronizationManager.isSynchronizationActive() ? null : new Key(holder);
    }

    private static void remember(Key key, Object current, String wanted) {
        if (current == null) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(key);
                }
            });
        } else {
            TransactionSynchronizationManager.unbindResource(key);
        }
        TransactionSynchronizationManager.bindResource(key, wanted);
    }
}
