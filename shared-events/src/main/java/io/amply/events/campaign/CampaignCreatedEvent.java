package io.amply.events.campaign;

import io.amply.events.OrganisationScoped;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** A campaign was created as a draft; it accepts donations only once active. No ledger effect. */
@Revision("1")
public record CampaignCreatedEvent(
        String campaignId,
        String organisationId,
        String fundId,
        String name,
        long goalAmount,
        String currency,
        Instant startsAt,
        Instant endsAt,
        String createdBy) implements OrganisationScoped {
}
