package io.amply.query.readmodel;

import io.amply.db.TenantContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import javax.sql.DataSource;

/**
 * Sets the organisation row-level security admits, for the rest of the current transaction, and
 * remembers it there: a processor's batch of events of one organisation sets it once instead of
 * once per write (a round trip each). Every projection sets its organisation through here, so
 * what is remembered is what the transaction has; it is forgotten when the transaction ends, as
 * the setting itself is ({@link TenantContext}).
 */
public final class OrganisationScope {

    /** The transaction resource, one per data source (the transaction's connection). */
    private record Key(DataSource dataSource) {
    }

    private static final class Current {
        private String organisationId;
    }

    private OrganisationScope() {
    }

    public static void enter(JdbcTemplate jdbc, String organisationId) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            jdbc.query(TenantContext.SET_ORGANISATION, rs -> null, organisationId);
            return;
        }
        Key key = new Key(jdbc.getDataSource());
        Current current = (Current) TransactionSynchronizationManager.getResource(key);
        if (current == null) {
            current = new Current();
            TransactionSynchronizationManager.bindResource(key, current);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(key);
                }
            });
        } else if (organisationId.equals(current.organisationId)) {
            return;
        }
        current.organisationId = null; // if setting it fails, nothing is remembered
        jdbc.query(TenantContext.SET_ORGANISATION, rs -> null, organisationId);
        current.organisationId = organisationId;
    }
}
