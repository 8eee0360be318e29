package io.amply.events.donation;

import io.amply.events.OrganisationScoped;
import io.amply.events.Visibility;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * A refund booked before did not happen after all: the payment provider reports it failed (a closed
 * card, say) and its {@code amount} is back in the organisation's account, so it is booked back into the
 * donation's fund. {@code totalRefunded} is the donation's running refunded total after it; {@code reason}
 * the provider's failure code ({@code expired_or_canceled_card}, {@code lost_or_stolen_card}, …, or
 * {@code refund_failed}). The other fields are the donation's, as in {@link DonationRefundedEvent}.
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
        Long donationAmount) implements OrganisationScoped {
}
