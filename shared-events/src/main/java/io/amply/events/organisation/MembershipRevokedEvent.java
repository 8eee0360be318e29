package io.amply.events.organisation;

import io.amply.events.OrganisationScoped;
import org.axonframework.serialization.Revision;

@Revision("1")
public record MembershipRevokedEvent(String organisationId, String userId, String revokedBy) implements OrganisationScoped {
}
