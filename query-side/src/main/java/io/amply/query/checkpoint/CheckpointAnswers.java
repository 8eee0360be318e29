package io.amply.query.checkpoint;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * What the checkpoints' reads answer in {@code data}, and a receipt's checkpoint (the ledger's reads): for the OpenAPI
 * document (ApiData), never serialized.
 */
public final class CheckpointAnswers {

    private CheckpointAnswers() {
    }

    /** Checkpoint.toJson: the signed body, its signature and our id. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "Checkpoint", description = "A signed checkpoint of an organisation's chain head (ledger-hash-v1 §4)")
    public record SignedCheckpoint(@Schema(description = "format version, 1") Integer v,
                            @Schema(description = "`org_…`") String organisationId,
                            @Schema(description = "the chain's head it signs") Long sequence,
                            @Schema(description = "`sha256:…` of the entry at sequence") String entryHash,
                            @Schema(description = "ISO-8601 instant in the ledger's format") String createdAt,
                            @Schema(description = "the signing key in `/v1/public/keys`") String keyId,
                            @Schema(description = "Ed25519 over the JCS of the signed members, base64url") String signature,
                            @Schema(description = "`chk_…`; not signed") String id) {
    }
}
