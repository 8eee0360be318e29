package io.amply.events.project;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Stops a project in planning or active for good; {@code reason} is optional. */
public record CancelProjectCommand(@TargetAggregateIdentifier String projectId, String reason, String cancelledBy) {
}
