package io.amply.events.donation;

import io.amply.events.OrganisationScoped;
import io.amply.events.Visibility;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * {@code amount} went back to the donor; {@code totalRefunded} is the running total for the
 * donation. {@code campaignId} is the campaign the donation counted towards, if any.
 * {@code publicAfter} is the donation's: with visibility {@code delayed_public}, when the ledger
 * reveals the content; otherwise null (also in events recorded before the field existed).
 * {@code donationAmount} is what the donation received, so a follower knows when it is refunded in
 * full ({@code totalRefunded == donationAmount}); null in events recorded before 2026-11-27.
 * {@code recordedByHand}: true for a refund an organisation's user recorded through the API, which
 * its fund's balance must cover; false for one reported by Stripe, booked whatever the balance; null
 * in events recorded before 2026-11-29. {@code providerRefundId}: the provider's own id of the refund
 * ({@code re_…}) for one reported by Stripe, so that its later failure books back this one; null for one
 * recorded by hand, and in events recorded before 2026-11-29 (which then may cover several of Stripe's
 * refunds, booked from its running total).
 */
@Revision("1")
public record DonationRefundedEvent(
        String donationId,
        String organisationId,
        String fundId,
        String refundId,
        long amount,
        String currency,
        String reason,
        long totalRefunded,
        Visibility visibility,
        String campaignId,
        Instant publicAfter,
        Long donationAmount,
        Boolean recordedByHand,
        String noteId,
        String providerRefundId) implements OrganisationScoped {
}
