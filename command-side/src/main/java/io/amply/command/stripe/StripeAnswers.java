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
}
