package io.amply.events.donation;

import io.amply.events.OrganisationScoped;
import io.amply.events.Visibility;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * A refund booked before did not happen after all: the payment provider reports it failed (a closed card, say) or
 * was cancelled, and its {@code amount} is back in the organisation's account, so it is booked back into the
 * donation's fund. {@code providerRefundId} is the provider's refund ({@code re_…}), booked by the
 * {@link DonationRefundedEvent} with the same id (or, booked before the provider's ids were kept, identified by a
 * {@link DonationRefundsIdentifiedEvent}); {@code totalRefunded} the donation's running refunded total after
 * it; {@code reason} the provider's failure code ({@code expired_or_canceled_card}, {@code lost_or_stolen_card}, …,
 * {@code refund_failed}, {@code refund_canceled}). {@code countsAsDonorAgain}: the refund had taken the donation off
 * its campaign's donors (refunded in full), so it counts again. The other fields are the donation's, as in
 * {@link DonationRefundedEvent}.
 */
@Revision("1")
public record DonationRefundReversedEvent(
        String donationId,
        String organisationId,
        String fundId,
        String reversalId,
        long amount,
        String currency,
        String reason,
        long totalRefunded,
        Visibility visibility,
        String campaignId,
        Instant publicAfter,
        Long donationAmount,
        String providerRefundId,
        Boolean countsAsDonorAgain) implements OrganisationScoped {
}
