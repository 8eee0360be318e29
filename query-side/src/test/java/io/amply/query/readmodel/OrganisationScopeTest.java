package io.amply.query.readmodel;

import io.amply.db.TenantContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.ResultSetExtractor;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OrganisationScopeTest {

    /** Records the organisations it was asked to set instead of asking a database. */
    private static final class RecordingJdbc extends JdbcTemplate {
        final List<Object> set = new ArrayList<>();

        RecordingJdbc() {
            super(new SimpleDriverDataSource());
        }

        @Override
        public <T> T query(String sql, ResultSetExtractor<T> extractor, Object... args) throws DataAccessException {
            assertThat(sql).isEqualTo(TenantContext.SET_ORGANISATION);
            set.add(args[0]);
            return null;
        }
    }

    private final RecordingJdbc jdbc = new RecordingJdbc();

    @AfterEach
    void endTransaction() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            complete();
        }
    }

    @Test
    void setsAnOrganisationOncePerTransaction() {
        // given
        TransactionSynchronizationManager.initSynchronization();

        // when
        OrganisationScope.enter(jdbc, "org_a");
        OrganisationScope.enter(jdbc, "org_a");
        OrganisationScope.enter(jdbc, "org_a");

        // then
        assertThat(jdbc.set).containsExactly("org_a");
    }

    @Test
    void setsItAgainWhenTheOrganisationChanges() {
        // given
        TransactionSynchronizationManager.initSynchronization();

        // when
        OrganisationScope.enter(jdbc, "org_a");
        OrganisationScope.enter(jdbc, "org_b");
        OrganisationScope.enter(jdbc, "org_a");

        // then
        assertThat(jdbc.set).containsExactly("org_a", "org_b", "org_a");
    }

    @Test
    void forgetsItWhenTheTransactionEnds() {
        // given: a transaction that set org_a and ended
        TransactionSynchronizationManager.initSynchronization();
        OrganisationScope.enter(jdbc, "org_a");
        complete();

        // when: the next transaction on the same thread
        TransactionSynchronizationManager.initSynchronization();
        OrganisationScope.enter(jdbc, "org_a");

        // then
        assertThat(jdbc.set).containsExactly("org_a", "org_a");
    }

    @Test
    void outsideATransactionSetsItEveryTime() {
        // when
        OrganisationScope.enter(jdbc, "org_a");
        OrganisationScope.enter(jdbc, "org_a");

        // then
        assertThat(jdbc.set).containsExactly("org_a", "org_a");
    }

    /** What a transaction manager does when a transaction ends. */
    private static void complete() {
        List<TransactionSynchronization> synchronizations = TransactionSynchronizationManager.getSynchronizations();
        TransactionSynchronizationManager.clearSynchronization();
        synchronizations.forEach(s -> s.afterCompletion(TransactionSynchronization.STATUS_COMMITTED));
    }
}
