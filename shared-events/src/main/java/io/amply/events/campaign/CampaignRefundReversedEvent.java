package io.amply.events.campaign;

import io.amply.events.OrganisationScoped;
import org.axonframework.serialization.Revision;

/**
 * {@code amount} of a refund of a campaign donation failed and came back: {@code raisedAmount} and
 * {@code donorCount} are the campaign's totals after it. The ledger entry is the donation's own
 * ({@code refund_reversed}); no ledger effect here.
 */
@Revision("1")
public record CampaignRefundReversedEvent(
        String campaignId,
        String organisationId,
        String donationId,
        String reversalId,
        long amount,
        String currency,
        long raisedAmount,
        int donorCount) implements OrganisationScoped {
}
