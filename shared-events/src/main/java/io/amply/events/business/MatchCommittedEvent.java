package io.amply.events.business;

import io.amply.events.OrganisationScoped;
import io.amply.events.Visibility;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * The business committed {@code amount} to match donation {@code donationId}; it arrives as
 * donation {@code matchDonationId} (payment method {@code matching}, no fee), whose
 * {@code DonationReceivedEvent} is what the ledger records. {@code usedAmount} is the
 * programme's running total, never above its cap.
 * {@code publicAfter} is the matched donation's (a match's amount would reveal the donation's):
 * with visibility {@code delayed_public}, when the ledger reveals the content; otherwise null.
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
        long usedAmount,
        Instant publicAfter) implements OrganisationScoped {
}
