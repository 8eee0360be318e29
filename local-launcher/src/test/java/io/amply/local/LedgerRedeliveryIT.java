package io.amply.local;

import io.amply.ledger.hash.LedgerEntry;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An event delivered to the ledger again makes no second entry: the ledger processor is rewound
 * to before an organisation's history and replays it, together with an event it has not seen yet,
 * in the same batch. The chain keeps its entries and hashes and grows by exactly the new ones.
 */
class LedgerRedeliveryIT {

    @Test
    void replayingEventsAlreadyInTheLedgerAddsOnlyWhatIsNew() throws Exception {
        // given: an organisation with three donations in its chain
        TestStack stack = TestStack.get();
        Api api = new Api(stack);
        Instant before = Instant.now().minusSeconds(1);
        Api.Organisation org = api.organisation(Api.admin(), "EUR");
        for (int i = 0; i < 3; i++) {
            api.receive(Api.admin(), org.id(), org.generalFund(), 1_000 + i, "EUR", 10);
        }
        List<LedgerEntry> chain = api.ledger(org.id(), c -> c.size() == 6);
        StreamingEventProcessor ledger = stack.apps().query().getBean(EventProcessingConfiguration.class)
                .eventProcessor("ledger", StreamingEventProcessor.class).orElseThrow();

        // when: the processor is rewound to before them, and one more donation arrives meanwhile
        ledger.shutDown();
        ledger.resetTokens(source -> source.createTokenAt(before));
        api.receive(Api.admin(), org.id(), org.generalFund(), 5_000, "EUR", 0);
        ledger.start();

        // then
        List<LedgerEntry> after = api.ledger(org.id(), c -> c.size() >= 7);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> api.chain(org.id()).size() == 7);
        after = api.chain(org.id());
        assertThat(after.subList(0, 6)).isEqualTo(chain);
        assertThat(after.get(6).amount()).isEqualTo(5_000);
        assertThat(after.get(6).prevEntryHash()).isEqualTo(chain.get(5).entryHash());
    }
}
