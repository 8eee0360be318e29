package io.amply.events.donation;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Gives back part or all of what was received. {@code noteId} names its reason, kept apart as an erasable
 * note ({@code ledger_notes}): free text never travels in the command, its event or the ledger.
 */
public record RefundDonationCommand(
        @TargetAggregateIdentifier String donationId,
        String refundId,
        long amount,
        String refundedBy,
        String noteId) {
}
