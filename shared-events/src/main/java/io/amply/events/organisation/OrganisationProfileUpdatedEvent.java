package io.amply.events.organisation;

import io.amply.events.OrganisationScoped;
import io.amply.events.Visibility;
import org.axonframework.serialization.Revision;

@Revision("1")
public record OrganisationProfileUpdatedEvent(
        String organisationId,
        String name,
        String country,
        Visibility defaultVisibility,
        boolean acceptsFundraisers,
        String updatedBy) implements OrganisationScoped {
}
