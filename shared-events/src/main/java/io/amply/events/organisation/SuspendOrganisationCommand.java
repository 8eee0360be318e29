package io.amply.events.organisation;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Stops an organisation from receiving and moving money until reinstated (platform role). Its reason is kept beside
 * the organisation while it is suspended, never in an event.
 */
public record SuspendOrganisationCommand(@TargetAggregateIdentifier String organisationId, String suspendedBy) {
}
