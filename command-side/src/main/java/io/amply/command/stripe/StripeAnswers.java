package io.amply.command.stripe;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;

/** What the Stripe webhook answers in {@code data}: for the OpenAPI document (ApiData), never serialized. */
final class StripeAnswers {

    private StripeAnswers() {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "StripeEventHandled", description = "What became of a Stripe event")
    record StripeEventHandled(@Schema(description = "Stripe's `evt_…`") String eventId, String type,
                              @Schema(description = "what was done, `duplicate` for an event handled before, or why it was "
                                      + "not applied") String outcome) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "StripeRefundsReread", description = "What reading a donation's refunds from Stripe again changed")
    record StripeRefundsReread(@Schema(description = "the donation's `don_…`") String donationId,
                               @Schema(description = "what was done, as for Stripe's own report of the refunds: "
                                       + "`nothing new to refund`, `refunded <n>`, `booked back <n>`, … or why it was not "
                                       + "applied") String outcome) {
    }
}
