package io.amply.events.campaign;

import io.amply.events.OrganisationScoped;
import org.axonframework.serialization.Revision;

/**
 * The campaign's raised total first reached its goal (once per campaign, even if a refund later
 * takes it below and another donation back above). {@code donationId} is the donation that did it.
 */
@Revision("1")
public record CampaignGoalReachedEvent(
        String campaignId,
        String organisationId,
        String donationId,
        long goalAmount,
        long raisedAmount,
        String currency) implements OrganisationScoped {
}
