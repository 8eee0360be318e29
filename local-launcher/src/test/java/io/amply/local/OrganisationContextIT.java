package io.amply.local;

import io.amply.command.lookup.OrganisationContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The command side sets the row-level-security organisation once per transaction and
 * organisation, not before every statement: proved by changing the setting behind its back, which
 * it then does not see, and by each transaction, however nested, still acting for the right one.
 */
class OrganisationContextIT {

    private static OrganisationContext context;
    private static JdbcTemplate jdbc;
    private static TransactionTemplate transactions;
    private static TransactionTemplate newTransactions;

    @BeforeAll
    static void theCommandSidesBeans() {
        TestStack.Apps apps = TestStack.get().apps();
        context = apps.command().getBean(OrganisationContext.class);
        jdbc = apps.command().getBean(JdbcTemplate.class);
        transactions = new TransactionTemplate(apps.command().getBean(PlatformTransactionManager.class));
        newTransactions = new TransactionTemplate(apps.command().getBean(PlatformTransactionManager.class));
        newTransactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    private static String current() {
        return jdbc.queryForObject("SELECT current_setting('app.current_org_id', true)", String.class);
    }

    private static void setBehindItsBack(String value) {
        jdbc.queryForObject("SELECT set_config('app.current_org_id', ?, true)", String.class, value);
    }

    @Test
    void theSameOrganisationIsSetOncePerTransaction() {
        transactions.executeWithoutResult(status -> {
            // given
            context.enter("org_a");
            setBehindItsBack("changed behind its back");

            // when
            context.enter("org_a");

            // then: no second round trip, so the change stands
            assertThat(current()).isEqualTo("changed behind its back");
        });
    }

    @Test
    void anotherOrganisationIsSetAtOnce() {
        transactions.executeWithoutResult(status -> {
            // given
            context.enter("org_a");

            // when
            context.enter("org_b");

            // then
            assertThat(current()).isEqualTo("org_b");
            context.enter("org_a");
            assertThat(current()).isEqualTo("org_a");
        });
    }

    @Test
    void aNewTransactionSetsItAgainAndForgetsNothingBehind() {
        // given
        transactions.executeWithoutResult(status -> context.enter("org_a"));

        // when
        String next = transactions.execute(status -> {
            context.enter("org_a");
            return current();
        });

        // then
        assertThat(next).isEqualTo("org_a");
        assertThat(TransactionSynchronizationManager.getResourceMap()).isEmpty();
    }

    @Test
    void aTransactionInsideAnotherSetsItOnItsOwnConnection() {
        transactions.executeWithoutResult(status -> {
            // given
            context.enter("org_a");

            // when
            String inner = newTransactions.execute(innerStatus -> {
                context.enter("org_a");
                String seen = current();
                context.enter("org_b");
                return seen;
            });

            // then
            assertThat(inner).isEqualTo("org_a");
            assertThat(current()).isEqualTo("org_a");
            context.enter("org_b");
            assertThat(current()).isEqualTo("org_b");
        });
    }

    @Test
    void noOrganisationIsRememberedToo() {
        transactions.executeWithoutResult(status -> {
            // given
            context.enter("org_a");

            // when
            context.enter(null);

            // then
            assertThat(current()).isEmpty();
        });
    }

    @Test
    void aQuerySentWithTheSettingRunsUnderIt() {
        transactions.executeWithoutResult(status -> {
            // given
            context.enter("org_a");

            // when: the setting changes, sent in one round trip with the query
            String seen = context.query("org_b", "SELECT current_setting('app.current_org_id', true) WHERE ? = 1",
                    (rs, n) -> rs.getString(1), 1).get(0);

            // then: the query ran after the setting, which stands for the transaction
            assertThat(seen).isEqualTo("org_b");
            assertThat(current()).isEqualTo("org_b");
        });
    }

    @Test
    void aQueryUnderTheOrganisationAlreadySetSendsNoSetting() {
        transactions.executeWithoutResult(status -> {
            // given
            context.query("org_a", "SELECT 1", (rs, n) -> rs.getInt(1));
            setBehindItsBack("changed behind its back");

            // when
            String seen = context.query("org_a", "SELECT current_setting('app.current_org_id', true)",
                    (rs, n) -> rs.getString(1)).get(0);
            context.enter("org_a");

            // then: remembered from the first query, so neither sent it again
            assertThat(seen).isEqualTo("changed behind its back");
            assertThat(current()).isEqualTo("changed behind its back");
        });
    }

    @Test
    void aQueryWhoseRowsCannotBeReadStillLeavesItsSettingKnown() {
        transactions.executeWithoutResult(status -> {
            // given
            context.enter("org_a");

            // when: the setting and the query ran, then reading the rows fails
            assertThatThrownBy(() -> context.query("org_b", "SELECT 1", (rs, n) -> {
                throw new IllegalStateException("unreadable");
            })).hasMessageContaining("unreadable");
            context.enter("org_a");

            // then: it knew org_b was set, so it set org_a again
            assertThat(current()).isEqualTo("org_a");
        });
    }
}
