package io.amply.command.campaign;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;

/** What the campaigns' endpoints answer in {@code data}: for the OpenAPI document (ApiData), never serialized. */
final class CampaignAnswers {

    private CampaignAnswers() {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "Campaign", description = "A campaign as the command side holds it right after a write; times ISO-8601")
    record Campaign(@Schema(description = "`camp_…`") String id, String organisationId, String fundId, String name,
                    @Schema(allowableValues = {"draft", "active", "completed", "cancelled"}) String status, String currency,
                    @Schema(description = "minor units") Long goalAmount, @Schema(description = "minor units") Long raisedAmount,
                    Long donorCount, Boolean goalReached, @Schema(nullable = true) String goalReachedAt,
                    @Schema(nullable = true) String startsAt, @Schema(nullable = true) String endsAt, String createdAt,
                    @Schema(nullable = true, description = "why it was cancelled, as given; null unless cancelled with a reason "
                            + "(or cancelled before 2026-11-29, whose reason is in its event)") String cancellationReason) {
    }
}
