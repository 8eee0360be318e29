package io.amply.events.donation;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Gives back part or all of what was received, with a reason. */
public record RefundDonationCommand(
        @TargetAggregateIdentifier String donationId,
        String refundId,
        long amount,
        String reason,
        String refundedBy,
        String noteId) {
}
