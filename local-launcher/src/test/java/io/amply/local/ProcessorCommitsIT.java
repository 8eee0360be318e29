package io.amply.local;

import org.axonframework.config.Configuration;
import org.axonframework.config.EventProcessingConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The read models and the Kafka publisher commit without waiting for the WAL flush; the ledger
 * projector keeps the server's synchronous commit. (The test cluster runs with synchronous_commit
 * off everywhere, so what is checked is where the setting comes from: the processor's own
 * transaction, or the server.)
 */
class ProcessorCommitsIT {

    private static final String SOURCE = "SELECT source || '/' || setting FROM pg_settings WHERE name = 'synchronous_commit'";

    @Test
    void readModelsAndThePublisherCommitAsynchronouslyAndTheLedgerDoesNot() {
        // given
        TestStack stack = TestStack.get();
        EventProcessingConfiguration processing = stack.apps().query().getBean(Configuration.class).eventProcessingConfiguration();
        JdbcTemplate jdbc = stack.apps().query().getBean(JdbcTemplate.class);

        // when / then
        for (String group : List.of("fund-balances", "campaign-progress", "project-budgets", "organisation-directory",
                "transactions", "kafka-publisher")) {
            assertThat(processing.transactionManager(group).fetchInTransaction(() -> jdbc.queryForObject(SOURCE, String.class)))
                    .as(group).isEqualTo("session/off");
        }
        assertThat(processing.transactionManager("ledger").fetchInTransaction(() -> jdbc.queryForObject(SOURCE, String.class)))
                .doesNotStartWith("session/");
    }
}
