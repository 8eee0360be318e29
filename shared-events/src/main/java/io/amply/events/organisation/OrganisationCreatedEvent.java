package io.amply.events.organisation;

import io.amply.events.OrganisationScoped;
import io.amply.events.Visibility;
import org.axonframework.serialization.Revision;

/** An organisation was created (status pending); its General Fund is opened with it. */
@Revision("1")
public record OrganisationCreatedEvent(
        String organisationId,
        String name,
        String country,
        Visibility defaultVisibility,
        boolean acceptsFundraisers,
        String generalFundId,
        String generalFundCurrency,
        String createdBy) implements OrganisationScoped {
}
