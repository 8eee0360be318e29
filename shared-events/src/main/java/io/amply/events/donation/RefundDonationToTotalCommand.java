package io.amply.events.donation;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * A payment provider's refunds of the payment come to {@code refundedInAll} now (those that failed or were
 * cancelled not counted): the part not refunded yet is refunded ({@code refundId}, {@code reason}), and a part
 * refunded here that the provider no longer counts (a refund that failed) is booked back
 * ({@code reversalId}, {@code failureReason}).
 */
public record RefundDonationToTotalCommand(
        @TargetAggregateIdentifier String donationId,
        String refundId,
        long refundedInAll,
        String reason,
        String refundedBy,
        String reversalId,
        String failureReason) {
}
