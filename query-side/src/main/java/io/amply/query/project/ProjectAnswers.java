package io.amply.query.project;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;

import java.math.BigInteger;

/** What the projects' reads answer in {@code data}: for the OpenAPI document (ApiData), never serialized. */
final class ProjectAnswers {

    private ProjectAnswers() {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "ProjectBudget", description = "A project with its budget, what expenses spent and what remains; "
            + "amounts in minor units")
    record ProjectBudget(@Schema(description = "`proj_…`") String id, @Schema(description = "`fund_…`") String fundId,
                         String name, @Schema(allowableValues = {"planning", "active", "completed", "cancelled"}) String status,
                         @Schema(allowableValues = {"EUR", "GBP", "USD", "CHF"}) String currency,
                         Long budgetAmount, BigInteger spentAmount,
                         @Schema(description = "budget_amount less spent_amount; negative when overspent") BigInteger remainingAmount) {
    }
}
