package io.amply.events.donation;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The payment provider (or a finance user, for money received outside it) confirmed the money arrived. */
public record CompleteDonationCommand(
        @TargetAggregateIdentifier String donationId,
        String paymentMethod,
        String paymentReference,
        long feeAmount,
        String feeChargedBy) {
}
