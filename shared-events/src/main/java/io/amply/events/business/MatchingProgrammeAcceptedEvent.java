package io.amply.events.business;

import io.amply.events.OrganisationScoped;
import org.axonframework.serialization.Revision;

/** The organisation agreed to the business's programme, which matches its donations from now on; no ledger effect. */
@Revision("1")
public record MatchingProgrammeAcceptedEvent(
        String businessId,
        String programmeId,
        String organisationId,
        String acceptedBy) implements OrganisationScoped {
}
