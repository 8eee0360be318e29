package io.amply.events.organisation;

import io.amply.events.OrganisationScoped;
import org.axonframework.serialization.Revision;

@Revision("1")
public record OrganisationVerifiedEvent(String organisationId, String level, String verifiedBy) implements OrganisationScoped {
}
