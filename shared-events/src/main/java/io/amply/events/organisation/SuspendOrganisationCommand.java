package io.amply.events.organisation;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Stops an organisation from receiving and moving money until reinstated (platform role). */
public record SuspendOrganisationCommand(@TargetAggregateIdentifier String organisationId, String reason, String suspendedBy) {
}
