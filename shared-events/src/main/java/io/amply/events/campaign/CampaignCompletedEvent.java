package io.amply.events.campaign;

import io.amply.events.OrganisationScoped;
import org.axonframework.serialization.Revision;

/** The campaign closed having raised {@code raisedAmount} (gross, minor units) from {@code donorCount} donations. */
@Revision("1")
public record CampaignCompletedEvent(
        String campaignId,
        String organisationId,
        long raisedAmount,
        int donorCount,
        String completedBy) implements OrganisationScoped {
}
