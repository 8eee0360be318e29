package io.amply.events.organisation;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Gives a user a role in the organisation (owner, admin, finance, content, viewer or auditor),
 * replacing any other. {@code byPlatformStaff}: granted by Amply's staff, who act as an owner would.
 */
public record GrantMembershipCommand(@TargetAggregateIdentifier String organisationId, String userId, String role, String grantedBy,
                                     boolean byPlatformStaff) {
}
