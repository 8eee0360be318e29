package io.amply.events.project;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Stops a project in planning or active for good. Its reason, if any, is kept beside the project, never in an event. */
public record CancelProjectCommand(@TargetAggregateIdentifier String projectId, String cancelledBy) {
}
