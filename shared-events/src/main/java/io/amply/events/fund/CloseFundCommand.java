package io.amply.events.fund;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Closes a fund; only allowed when its balance is exactly zero. */
public record CloseFundCommand(@TargetAggregateIdentifier String fundId, String closedBy) {
}
