package io.amply.events.campaign;

import io.amply.events.OrganisationScoped;
import org.axonframework.serialization.Revision;

@Revision("1")
public record CampaignCancelledEvent(String campaignId, String organisationId, String reason, String cancelledBy)
        implements OrganisationScoped {
}
