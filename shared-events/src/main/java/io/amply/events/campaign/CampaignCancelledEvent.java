package io.amply.events.campaign;

import io.amply.events.OrganisationScoped;
import org.axonframework.serialization.Revision;

/**
 * {@code reason}: null since 2026-11-29 (V40), when the reason given is kept beside the campaign (status_reasons), where
 * it can be changed or removed; before, the words as given, here for good.
 */
@Revision("1")
public record CampaignCancelledEvent(String campaignId, String organisationId, String reason, String cancelledBy)
        implements OrganisationScoped {
}
