package io.amply.command.donation;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;

/** What the donations' endpoints answer in {@code data}: for the OpenAPI document (ApiData), never serialized. */
final class DonationAnswers {

    private DonationAnswers() {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "Donation", description = "A donation as the command side holds it right after a write; amounts in minor units")
    record Donation(@Schema(description = "`don_…`") String id, String organisationId, String fundId,
                    @Schema(nullable = true) String campaignId, Long amount, String currency,
                    @Schema(allowableValues = {"pending", "completed", "failed", "refunded", "partially_refunded"}) String status,
                    Long feeAmount, Long refundedAmount,
                    @Schema(allowableValues = {"public_full", "public_aggregated", "internal_only", "delayed_public"})
                    String visibility,
                    @Schema(nullable = true, description = "why it failed: the reason given to POST /v1/donations/{id}/fail "
                            + "(erased with the donor), or Stripe's code; kept if the money arrived after all; null if it never failed")
                    String failureReason) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "DonorErasure", description = "How many of the organisation's donations had the donor's name and e-mail erased, "
            + "and how many notes about them (refunds' reasons) their text")
    record DonorErasure(String organisationId, Long donationsErased, Long notesErased) {
    }
}
