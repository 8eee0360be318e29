package io.amply.query.ledger;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.amply.query.checkpoint.CheckpointAnswers;
import io.swagger.v3.oas.annotations.media.Schema;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/** What the ledger's reads answer in {@code data}: for the OpenAPI document (ApiData), never serialized. */
final class LedgerAnswers {

    private LedgerAnswers() {
    }

    /** LedgerEntry.toJson: the content members only where the entry's content is shown (ledger-hash-v1 §5, §6). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "LedgerEntry", description = "An entry of the organisation's chain (ledger-hash-v1 §6): its hashes always; "
            + "type, amount, currency and metadata only where its content is shown (public_full, delayed_public once "
            + "revealed, or every entry for finance roles and auditors)")
    record Entry(@Schema(description = "`led_…`") String id, @Schema(description = "`org_…`") String organisationId,
                 @Schema(description = "position in the chain, from 1") Long sequence,
                 @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED,
                         description = "e.g. `donation_received`; present only with the content") String type,
                 @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED,
                         description = "signed, minor units; present only with the content") Long amount,
                 @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED,
                         description = "present only with the content") String currency,
                 @Schema(allowableValues = {"public_full", "public_aggregated", "delayed_public", "internal_only"})
                 String visibility,
                 @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED,
                         description = "members by entry type (any JSON values); present only with the content",
                         additionalProperties = Schema.AdditionalPropertiesValue.TRUE) Map<String, Object> metadata,
                 @Schema(description = "ISO-8601 instant in the ledger's format") String createdAt,
                 @Schema(description = "`sha256:…` of the content") String contentHash,
                 @Schema(nullable = true, description = "`sha256:…`; null for sequence 1") String prevEntryHash,
                 @Schema(description = "`sha256:…`") String entryHash,
                 @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED, nullable = true,
                         description = "the text of the note that `metadata.note_id` names (a reason, a memo, a recipient's "
                                 + "reference): the organisation's words, outside the hashed content so that they can be "
                                 + "erased; null once erased; present only where the content is shown and names a note")
                 String note) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "LedgerAggregate", description = "The entries of one type, month and currency whose amount is public")
    record Aggregate(@Schema(description = "YYYY-MM (UTC)") String month, String type, String currency,
                     @Schema(description = "signed sum, minor units") BigInteger amount, @Schema(description = "how many entries")
                     Long entries) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "DonationReceipt", description = "A donor's receipt: the donation's entry as the public sees it, and what "
            + "checks it is in the signed chain")
    record Receipt(@Schema(description = "`don_…`") String donationId, @Schema(description = "`org_…`") String organisationId,
                   @Schema(description = "the `donation_received` entry") Entry entry,
                   @Schema(description = "the donation's other entries (fee, refunds), in sequence order")
                   List<Entry> relatedEntries,
                   @Schema(nullable = true, description = "the entry's prev_entry_hash") String previousEntryHash,
                   @Schema(nullable = true, description = "the next entry's hash; null while there is none") String nextEntryHash,
                   @Schema(nullable = true, description = "the first checkpoint at or after the entry; null until one is made")
                   CheckpointAnswers.SignedCheckpoint checkpoint,
                   @Schema(description = "the path that verifies the organisation's chain") String verify) {
    }
}
