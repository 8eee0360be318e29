package io.amply.query.ledger;

import io.amply.query.DerivedIds;

/** Entry ids derived from the event and the entry's position among that event's entries. */
final class LedgerEntryIds {

    private LedgerEntryIds() {
    }

    static String of(String eventId, int index) {
        return DerivedIds.of("led_", eventId + "/" + index);
    }
}
