package io.amply.events.business;

import io.amply.events.OrganisationScoped;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * A business offered to match donations to an organisation (or one of its campaigns); no ledger effect.
 * {@code awaitsConsent} (added 2026-11-28): true when the programme matches nothing until the organisation
 * accepts it ({@link MatchingProgrammeAcceptedEvent}); null in the events stored before, whose programmes
 * matched at once, as they still do.
 */
@Revision("1")
public record MatchingProgrammeStartedEvent(
        String businessId,
        String programmeId,
        String organisationId,
        String campaignId,
        int ratioPercent,
        long capAmount,
        String currency,
        Instant startsAt,
        Instant endsAt,
        String startedBy,
        Boolean awaitsConsent) implements OrganisationScoped {
}
