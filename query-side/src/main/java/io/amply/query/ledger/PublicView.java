package io.amply.query.ledger;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.amply.ledger.hash.LedgerEntry;

/** What the public may see of an entry (ledger-hash-v1 §5). */
public final class PublicView {

    private PublicView() {
    }

    /** Whether the entry's content is public at {@code now} (a timestamp in the ledger's format). */
    public static boolean contentIsPublic(LedgerEntry entry, String now) {
        return switch (entry.visibility()) {
            case "public_full" -> true;
            case "delayed_public" -> {
                var after = entry.metadata() == null ? null : entry.metadata().get("public_after");
                // the format sorts lexicographically in time order
                yield after != null && after.isTextual() && after.asText().compareTo(now) <= 0;
            }
            default -> false;
        };
    }

    public static ObjectNode of(LedgerEntry entry, String now) {
        return entry.toJson(contentIsPublic(entry, now));
    }
}
