package io.amply.events.organisation;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record RevokeMembershipCommand(@TargetAggregateIdentifier String organisationId, String userId, String revokedBy) {
}
