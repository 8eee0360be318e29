package io.amply.query.ledger;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class InLedgerOrderTest {

    private static EntryDraft draft(String eventId) {
        return new EntryDraft("led_" + eventId, "org_a", "donation_received", 100, "EUR", "public_full",
                JsonNodeFactory.instance.objectNode(), "2026-11-27T00:00:00Z", eventId, 0, null);
    }

    private static List<String> events(List<EntryDraft> drafts) {
        return drafts.stream().map(EntryDraft::sourceEventId).toList();
    }

    @Test
    void entriesTheLedgerAppendedInCommitOrderAreRebuiltInThatOrder() {
        // given: e2 and e3 committed in the opposite order of their indexes, so the ledger holds e3 at 2 and e2 at 3
        LedgerCrossCheck.InLedgerOrder chain = new LedgerCrossCheck.InLedgerOrder();
        List<EntryDraft> ready = new ArrayList<>();

        // when: the events come in index order
        chain.add(draft("e1"), 1L, ready);
        chain.add(draft("e2"), 3L, ready);
        chain.add(draft("e3"), 2L, ready);
        chain.add(draft("e4"), 4L, ready);

        // then
        assertThat(events(ready)).containsExactly("e1", "e3", "e2", "e4");
    }

    @Test
    void anEntryTheLedgerLacksGoesWhereTheEventsPutIt() {
        // given: the ledger lost e2's entry (1, 3, 4 left)
        LedgerCrossCheck.InLedgerOrder chain = new LedgerCrossCheck.InLedgerOrder();
        List<EntryDraft> ready = new ArrayList<>();

        // when
        chain.add(draft("e1"), 1L, ready);
        chain.add(draft("e2"), null, ready);
        chain.add(draft("e3"), 3L, ready);
        chain.add(draft("e4"), 4L, ready);
        chain.releaseAll(ready); // the events ran out with e3 and e4 waiting for a sequence 2 that never comes

        // then: in index order, so the comparison finds the ledger's 2 missing
        assertThat(events(ready)).containsExactly("e1", "e2", "e3", "e4");
    }

    @Test
    void aChainFarOutOfTheEventsOrderIsLetGoRatherThanHeldWithoutEnd() {
        // given: the ledger's sequence 1 made by no event, so nothing can follow it
        LedgerCrossCheck.InLedgerOrder chain = new LedgerCrossCheck.InLedgerOrder();
        List<EntryDraft> ready = new ArrayList<>();

        // when
        for (int i = 0; i <= LedgerCrossCheck.InLedgerOrder.MOST_HELD; i++) {
            chain.add(draft("e" + i), 2L + i, ready);
        }

        // then
        assertThat(ready).hasSize(LedgerCrossCheck.InLedgerOrder.MOST_HELD + 1);
        assertThat(ready.get(0).sourceEventId()).isEqualTo("e0");
    }
}
