package io.amply.events.project;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Starts the work of a project in planning. */
public record ActivateProjectCommand(@TargetAggregateIdentifier String projectId, String activatedBy) {
}
