package io.amply.events.fund;

import io.amply.events.Visibility;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/**
 * Moves money from this fund to another fund, of the same or another organisation. {@code noteId} names
 * its memo, kept apart as an erasable note (null: none).
 */
public record TransferFundsCommand(
        @TargetAggregateIdentifier String fundId,
        String transferId,
        String toOrganisationId,
        String toFundId,
        long amount,
        String currency,
        Visibility visibility,
        String requestedBy,
        Instant publicAfter,
        String noteId) {
}
