package io.amply.events.project;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** An active project's work is done. */
public record CompleteProjectCommand(@TargetAggregateIdentifier String projectId, String completedBy) {
}
