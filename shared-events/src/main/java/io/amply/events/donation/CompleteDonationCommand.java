package io.amply.events.donation;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The payment provider (or a finance user, for money received outside it) confirmed the money arrived. */
public record CompleteDonationCommand(
        @TargetAggregateIdentifier String donationId,
        String paymentMethod,
        String paymentReference,
        long feeAmount,
        String feeChargedBy) {

    /**
     * The payment method of a donation Stripe's webhook completed, and of no other (a finance user
     * names bank_transfer, cheque, cash, card_terminal or other): its refunds are Stripe's to report.
     */
    public static final String STRIPE_CARD = "card";
}
