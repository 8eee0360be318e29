package io.amply.events.business;

import io.amply.events.OrganisationScoped;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** A business began matching donations to an organisation (or one of its campaigns); no ledger effect. */
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
        String startedBy) implements OrganisationScoped {
}
