package io.amply.events.donation;

import io.amply.events.OrganisationScoped;
import io.amply.events.Visibility;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * Money for a donation arrived: {@code amount} gross, of which the payment provider kept
 * {@code feeAmount}. Carries no personal data (the donor is only {@code donationId}), because
 * this event feeds the public ledger. {@code businessId} is set when a business gave it (directly
 * or as a match, payment method {@code matching}); {@code campaignId} when it counts towards a campaign.
 * {@code publicAfter}: with visibility {@code delayed_public}, when the ledger reveals the content;
 * otherwise null (also in events recorded before the field existed).
 */
@Revision("1")
public record DonationReceivedEvent(
        String donationId,
        String organisationId,
        String fundId,
        String campaignId,
        long amount,
        String currency,
        long feeAmount,
        String feeChargedBy,
        String paymentMethod,
        String paymentReference,
        Visibility visibility,
        String businessId,
        Instant publicAfter) implements OrganisationScoped {
}
