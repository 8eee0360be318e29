package io.amply.events.fund;

import io.amply.events.OrganisationScoped;
import org.axonframework.serialization.Revision;

/** A fund opened in an organisation; {@code type} is general, project, restricted or emergency. */
@Revision("1")
public record FundCreatedEvent(
        String fundId,
        String organisationId,
        String name,
        String type,
        String currency,
        FundRestrictions restrictions,
        String createdBy) implements OrganisationScoped {
}
