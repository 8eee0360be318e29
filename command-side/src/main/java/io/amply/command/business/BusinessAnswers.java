package io.amply.command.business;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;

/** What the businesses' endpoints answer in {@code data}: for the OpenAPI document (ApiData), never serialized. */
final class BusinessAnswers {

    private BusinessAnswers() {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "Business", description = "A business; times ISO-8601")
    record Business(@Schema(description = "`biz_…`") String id, String name, String country,
                    @Schema(allowableValues = {"pending", "verified"}) String status, String managerUserId,
                    @Schema(nullable = true) String verifiedAt, String createdAt) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "MatchingProgramme", description = "A business's matching programme in one organisation; amounts in minor units, "
            + "times ISO-8601")
    record MatchingProgramme(@Schema(description = "`mp_…`") String id, String businessId, String organisationId,
                             @Schema(nullable = true, description = "set when the programme matches one campaign's donations")
                             String campaignId,
                             Integer ratioPercent, Long capAmount, Long usedAmount, String currency,
                             @Schema(nullable = true) String startsAt, @Schema(nullable = true) String endsAt,
                             @Schema(allowableValues = {"proposed", "active", "declined"},
                                     description = "matches donations only while `active`: once the organisation accepted it, "
                                             + "until it declines it") String status,
                             @Schema(nullable = true, description = "when the organisation accepted or declined it") String decidedAt,
                             @Schema(nullable = true, description = "`usr_…` who accepted or declined it for the organisation")
                             String decidedBy,
                             String createdAt) {
    }
}
