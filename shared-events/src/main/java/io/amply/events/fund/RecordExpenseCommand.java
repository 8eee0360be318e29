package io.amply.events.fund;

import io.amply.events.Visibility;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/**
 * Money spent from a fund (optionally for a project). {@code category}: programs, operations,
 * fundraising, admin, …; {@code recipientType}: supplier, beneficiary, staff, partner, other.
 * {@code noteId} names the recipient's reference, kept apart as an erasable note.
 */
public record RecordExpenseCommand(
        @TargetAggregateIdentifier String fundId,
        String expenseId,
        String projectId,
        long amount,
        String currency,
        String category,
        String recipientType,
        Visibility visibility,
        String recordedBy,
        Instant publicAfter,
        String noteId) {
}
