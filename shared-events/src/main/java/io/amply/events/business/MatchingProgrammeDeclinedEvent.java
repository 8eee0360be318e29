package io.amply.events.business;

import io.amply.events.OrganisationScoped;
import org.axonframework.serialization.Revision;

/** The organisation turned the business's programme down (before or after accepting it); it matches nothing more. No ledger effect. */
@Revision("1")
public record MatchingProgrammeDeclinedEvent(
        String businessId,
        String programmeId,
        String organisationId,
        String declinedBy) implements OrganisationScoped {
}
