package io.amply.events.organisation;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Asks for a signed checkpoint of the organisation's chain now, in addition to the scheduled ones. */
public record RequestLedgerCheckpointCommand(@TargetAggregateIdentifier String organisationId, String requestedBy) {
}
