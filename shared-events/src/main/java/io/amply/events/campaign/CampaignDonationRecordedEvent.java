package io.amply.events.campaign;

import io.amply.events.OrganisationScoped;
import org.axonframework.serialization.Revision;

/**
 * A received donation of {@code amount} (gross) counted towards the campaign: {@code raisedAmount}
 * and {@code donorCount} are the campaign's totals after it. The ledger entry is the donation's
 * own ({@code donation_received}, with {@code campaign_id}); this event has no ledger effect.
 */
@Revision("1")
public record CampaignDonationRecordedEvent(
        String campaignId,
        String organisationId,
        String donationId,
        long amount,
        String currency,
        long raisedAmount,
        int donorCount) implements OrganisationScoped {
}
