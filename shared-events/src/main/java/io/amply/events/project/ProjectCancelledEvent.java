package io.amply.events.project;

import io.amply.events.OrganisationScoped;
import org.axonframework.serialization.Revision;

@Revision("1")
public record ProjectCancelledEvent(String projectId, String organisationId, String reason, String cancelledBy)
        implements OrganisationScoped {
}
