package io.amply.events.fund;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Books money that moved elsewhere (a donation received or refunded) onto the fund's balance.
 * Sent by the command side itself, never by a client: the money already moved. {@code heldToBalance}:
 * refused if it would take the balance below zero (a refund an organisation records by hand, held to
 * the balance as its expenses are); otherwise booked whatever the balance (Stripe's refunds).
 */
public record AdjustFundBalanceCommand(@TargetAggregateIdentifier String fundId, long delta, String cause,
                                       String reference, boolean heldToBalance) {

    /** Money that moved whatever the balance says. */
    public AdjustFundBalanceCommand(String fundId, long delta, String cause, String reference) {
        this(fundId, delta, cause, reference, false);
    }
}
