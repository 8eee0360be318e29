package io.amply.events.fund;

import io.amply.events.Visibility;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/**
 * Corrects an earlier ledger entry by a new one: {@code kind} reversal (undo it) or adjustment
 * (change it by {@code amount}, signed). Nothing is ever edited. {@code correctsEntryType} and
 * {@code correctsEntryAmount} (signed, as the ledger holds it) are the corrected entry's, which never
 * change once written: the fund keeps a correction within what that entry moved. {@code
 * correctsEntryProjectId}: the project an expense was booked against, or null.
 * {@code noteId} names its reason, kept apart as an erasable note.
 */
public record RecordCorrectionCommand(
        @TargetAggregateIdentifier String fundId,
        String correctionId,
        String kind,
        String correctsEntryId,
        String correctsEntryType,
        long correctsEntryAmount,
        String correctsEntryProjectId,
        long amount,
        String currency,
        Visibility visibility,
        String recordedBy,
        Instant publicAfter,
        String noteId) {
}
