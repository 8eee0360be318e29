package io.amply.events.organisation;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record ReinstateOrganisationCommand(@TargetAggregateIdentifier String organisationId, String reinstatedBy) {
}
