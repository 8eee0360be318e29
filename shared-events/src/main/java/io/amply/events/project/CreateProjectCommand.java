package io.amply.events.project;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Creates a project (status planning) that spends from {@code fundId}; {@code budgetAmount} is
 * minor units of {@code currency}, which is the fund's.
 */
public record CreateProjectCommand(
        @TargetAggregateIdentifier String projectId,
        String organisationId,
        String fundId,
        String name,
        long budgetAmount,
        String currency,
        String createdBy) {
}
