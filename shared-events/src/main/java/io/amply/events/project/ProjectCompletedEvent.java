package io.amply.events.project;

import io.amply.events.OrganisationScoped;
import org.axonframework.serialization.Revision;

@Revision("1")
public record ProjectCompletedEvent(String projectId, String organisationId, String completedBy) implements OrganisationScoped {
}
