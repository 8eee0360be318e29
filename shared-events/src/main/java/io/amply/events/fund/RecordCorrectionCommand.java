package io.amply.events.fund;

import io.amply.events.Visibility;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/**
 * Corrects an earlier ledger entry by a new one: {@code kind} reversal (undo it) or adjustment
 * (change it by {@code amount}, signed). Nothing is ever edited.
 */
public record RecordCorrectionCommand(
        @TargetAggregateIdentifier String fundId,
        String correctionId,
        String kind,
        String correctsEntryId,
        long amount,
        String currency,
        String reason,
        Visibility visibility,
        String recordedBy,
        Instant publicAfter) {
}
