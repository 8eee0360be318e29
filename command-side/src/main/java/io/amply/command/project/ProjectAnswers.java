package io.amply.command.project;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;

/** What the projects' endpoints answer in {@code data}: for the OpenAPI document (ApiData), never serialized. */
final class ProjectAnswers {

    private ProjectAnswers() {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "Project", description = "A project as the command side holds it right after a write")
    record Project(@Schema(description = "`proj_…`") String id, String organisationId, String fundId, String name,
                   @Schema(description = "minor units") Long budgetAmount, String currency,
                   @Schema(allowableValues = {"planning", "active", "completed", "cancelled"}) String status,
                   @Schema(description = "ISO-8601 instant") String createdAt,
                   @Schema(nullable = true, description = "why it was cancelled, as given; null unless cancelled with a reason "
                           + "(or cancelled before 2026-11-29, whose reason is in its event)") String cancellationReason) {
    }
}
