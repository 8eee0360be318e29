package io.amply.events.business;

import io.amply.events.OrganisationScoped;
import io.amply.events.Visibility;
import org.axonframework.serialization.Revision;

/**
 * The business committed {@code amount} to match donation {@code donationId}; it arrives as
 * donation {@code matchDonationId} (payment method {@code matching}, no fee), whose
 * {@code DonationReceivedEvent} is what the ledger records. {@code usedAmount} is the
 * programme's running total, never above its cap.
 */
@Revision("1")
public record MatchCommittedEvent(
        String businessId,
        String programmeId,
        String donationId,
        String matchDonationId,
        long amount,
        String organisationId,
        String fundId,
        String campaignId,
        String currency,
        Visibility visibility,
        long usedAmount) implements OrganisationScoped {
}
