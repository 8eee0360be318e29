package io.amply.command.lookup;

import io.amply.db.TenantContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import javax.sql.DataSource;
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
        String wanted = organisationId == null ? "" : organisationId; // amply_set_org(NULL) sets ''
        Object holder = TransactionSynchronizationManager.getResource(dataSource);
        if (holder == null || !TransactionSynchronizationManager.isSynchronizationActive()) {
            jdbc.query(TenantContext.SET_ORGANISATION, rs -> null, organisationId);
            return;
        }
        Key key = new Key(holder);
        Object current = TransactionSynchronizationManager.getResource(key);
        if (wanted.equals(current)) {
            return;
        }
        jdbc.query(TenantContext.SET_ORGANISATION, rs -> null, organisationId);
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
