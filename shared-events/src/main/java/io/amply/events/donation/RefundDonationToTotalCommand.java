package io.amply.events.donation;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * A payment provider reports what it has refunded of the payment in all ({@code refundedInAll},
 * Stripe's running {@code amount_refunded}): the part not refunded yet is refunded now.
 */
public record RefundDonationToTotalCommand(
        @TargetAggregateIdentifier String donationId,
        String refundId,
        long refundedInAll,
        String reason,
        String refundedBy) {
}
