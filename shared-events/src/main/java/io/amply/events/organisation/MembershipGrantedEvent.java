package io.amply.events.organisation;

import io.amply.events.OrganisationScoped;
import org.axonframework.serialization.Revision;

@Revision("1")
public record MembershipGrantedEvent(String organisationId, String userId, String role, String grantedBy) implements OrganisationScoped {
}
