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

    /**
     * Whether Stripe's refund reports apply to a payment: one Stripe's webhook completed, or one a
     * finance user completed by hand under a Stripe payment intent's or charge's id, which the
     * webhook's {@code charge.refunded} recognises as well. Such a payment has one source of refunds.
     */
    public static boolean refundedThroughStripe(String paymentMethod, String paymentReference) {
        return STRIPE_CARD.equals(paymentMethod) || isStripePayment(paymentReference);
    }

    /** Whether a payment reference is a Stripe payment intent's or charge's id: one payment, never reused. */
    public static boolean isStripePayment(String paymentReference) {
        return paymentReference != null && (paymentReference.startsWith("pi_") || paymentReference.startsWith("ch_"));
    }
}
