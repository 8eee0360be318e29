package io.amply.query.verify;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;

/** What the chain's verification answers in {@code data} (LedgerVerification.verify): for the OpenAPI document (ApiData). */
final class VerifyAnswers {

    private VerifyAnswers() {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "LedgerVerification", description = "The organisation's chain recomputed from the replica and checked "
            + "against its latest signed checkpoint")
    record Verification(@Schema(description = "`org_…`") String organisationId,
                        @Schema(description = "every entry and the checkpoint (if any) passed") Boolean valid,
                        Long entriesChecked,
                        @Schema(nullable = true, description = "where the chain breaks (or the checkpoint's sequence when only "
                                + "it fails); null when valid") Long firstBadSequence,
                        @Schema(nullable = true, description = "why; null when valid") String reason,
                        @Schema(description = "the last good entry's sequence; 0 for an empty chain") Long headSequence,
                        @Schema(nullable = true, description = "the last good entry's hash; null for an empty chain")
                        String headEntryHash,
                        @Schema(nullable = true, description = "the latest checkpoint checked; null while there is none")
                        VerifiedCheckpoint checkpoint) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "LedgerVerificationCheckpoint", description = "The latest signed checkpoint and whether it holds")
    record VerifiedCheckpoint(@Schema(description = "`chk_…`") String id, Long sequence, String keyId,
                              @Schema(description = "its signature verifies and it matches the chain") Boolean valid,
                              @Schema(nullable = true, description = "why not; null when valid") String problem) {
    }
}
