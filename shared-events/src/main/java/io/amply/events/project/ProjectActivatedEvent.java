package io.amply.events.project;

import io.amply.events.OrganisationScoped;
import org.axonframework.serialization.Revision;

@Revision("1")
public record ProjectActivatedEvent(String projectId, String organisationId, String activatedBy) implements OrganisationScoped {
}
