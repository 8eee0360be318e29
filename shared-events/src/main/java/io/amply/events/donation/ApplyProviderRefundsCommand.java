package io.amply.events.donation;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;

/**
 * The payment provider's refunds of the donation's payment as they stand now ({@code refunds}, oldest first), read
 * from the provider when it reported one of them: each refund is booked once, when first seen standing, and booked
 * back once, when first seen failed or cancelled. A refund's state only moves forward, so reports read at
 * different moments, applied in any order, come to the same books.
 */
public record ApplyProviderRefundsCommand(
        @TargetAggregateIdentifier String donationId,
        List<ProviderRefund> refunds) {
}
