package io.amply.events.organisation;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Platform staff verified the organisation's documents; {@code level} is basic, standard or enhanced. */
public record VerifyOrganisationCommand(@TargetAggregateIdentifier String organisationId, String level, String verifiedBy) {
}
