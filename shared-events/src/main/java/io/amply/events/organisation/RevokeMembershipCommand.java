package io.amply.events.organisation;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Takes a user's role away. {@code byPlatformStaff}: by Amply's staff, who act as an owner would. */
public record RevokeMembershipCommand(@TargetAggregateIdentifier String organisationId, String userId, String revokedBy,
                                      boolean byPlatformStaff) {
}
