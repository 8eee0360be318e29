package io.amply.events.fund;

import io.amply.events.Visibility;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/**
 * The receiving half of a transfer; sent by the command side when the sending half happened, with
 * its visibility and {@code publicAfter}.
 * {@code noteId}: the sending half's note (its memo), null without one.
 */
public record ReceiveTransferCommand(
        @TargetAggregateIdentifier String fundId,
        String transferId,
        String fromOrganisationId,
        String fromFundId,
        long amount,
        String currency,
        Visibility visibility,
        Instant publicAfter,
        String noteId) {
}
