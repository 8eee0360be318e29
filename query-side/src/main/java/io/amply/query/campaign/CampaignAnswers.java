package io.amply.query.campaign;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;

import java.math.BigDecimal;

/** What the campaigns' reads answer in {@code data}: for the OpenAPI document (ApiData), never serialized. */
final class CampaignAnswers {

    private CampaignAnswers() {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "CampaignProgress", description = "A campaign with its progress; amounts in minor units, times ISO-8601")
    record CampaignProgress(@Schema(description = "`camp_…`") String id, @Schema(description = "`org_…`") String organisationId,
                            @Schema(description = "`fund_…`") String fundId, String name,
                            @Schema(allowableValues = {"draft", "active", "completed", "cancelled"},
                                    description = "`draft` only for the organisation's members") String status,
                            @Schema(allowableValues = {"EUR", "GBP", "USD", "CHF"}) String currency,
                            Long goalAmount,
                            @Schema(description = "net of refunds, matches included") Long raisedAmount,
                            @Schema(description = "the part of raised_amount that matching programmes gave") Long matchedAmount,
                            @Schema(description = "donations with a positive net amount") Long donorCount,
                            @Schema(description = "raised_amount in per cent of goal_amount, one decimal")
                            BigDecimal percentOfGoal,
                            @Schema(nullable = true) String startsAt, @Schema(nullable = true) String endsAt,
                            @Schema(nullable = true, description = "whole days until ends_at, rounded down; 0 once ended, "
                                    + "null without an end") Long daysLeft,
                            Boolean goalReached) {
    }
}
