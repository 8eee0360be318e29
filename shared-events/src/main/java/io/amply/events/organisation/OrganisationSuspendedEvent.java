package io.amply.events.organisation;

import io.amply.events.OrganisationScoped;
import org.axonframework.serialization.Revision;

@Revision("1")
public record OrganisationSuspendedEvent(String organisationId, String reason, String suspendedBy) implements OrganisationScoped {
}
