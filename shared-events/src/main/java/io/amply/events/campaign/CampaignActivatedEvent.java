package io.amply.events.campaign;

import io.amply.events.OrganisationScoped;
import org.axonframework.serialization.Revision;

@Revision("1")
public record CampaignActivatedEvent(String campaignId, String organisationId, String activatedBy) implements OrganisationScoped {
}
