package io.amply.events.campaign;

import io.amply.events.OrganisationScoped;
import org.axonframework.serialization.Revision;

/**
 * {@code amount} of a campaign donation was refunded: {@code raisedAmount} and {@code donorCount}
 * are the campaign's totals after it (a donation refunded in full no longer counts as a donor).
 * The ledger entry is the donation's own ({@code donation_refunded}); no ledger effect here.
 */
@Revision("1")
public record CampaignRefundRecordedEvent(
        String campaignId,
        String organisationId,
        String donationId,
        String refundId,
        long amount,
        String currency,
        long raisedAmount,
        int donorCount) implements OrganisationScoped {
}
