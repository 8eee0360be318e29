package io.amply.command.fund;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;

/** What the funds' and money movements' endpoints answer in {@code data}: for the OpenAPI document (ApiData), never serialized. */
final class FundAnswers {

    private FundAnswers() {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "Fund", description = "A fund as the command side holds it right after a write")
    record Fund(@Schema(description = "`fund_…`") String id, String organisationId, String name,
                @Schema(allowableValues = {"general", "project", "restricted", "emergency"}) String type,
                @Schema(allowableValues = {"EUR", "GBP", "USD", "CHF"}) String currency,
                @Schema(allowableValues = {"open", "closed"}) String status,
                @Schema(description = "minor units") Long balance) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "ExpenseRecorded", description = "The expense's id and its fund after it")
    record ExpenseRecorded(@Schema(description = "`exp_…`") String id, Fund fund) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "TransferRecorded", description = "The transfer's id and the fund it left, after it")
    record TransferRecorded(@Schema(description = "`trf_…`") String id, Fund fromFund) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "CorrectionRecorded", description = "The correction's id and its fund after it")
    record CorrectionRecorded(@Schema(description = "`cor_…`") String id, Fund fund) {
    }
}
