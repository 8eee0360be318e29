package io.amply.events.fund;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Books money that moved elsewhere (a donation received or refunded) onto the fund's balance.
 * Sent by the command side itself, never by a client: the money already moved.
 */
public record AdjustFundBalanceCommand(@TargetAggregateIdentifier String fundId, long delta, String cause,
                                       String reference) {
}
