package io.amply.events.fund;

import io.amply.events.OrganisationScoped;
import io.amply.events.Visibility;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * Money left a fund. {@code recipientReference} is an opaque reference (an invoice number), never a name.
 * {@code publicAfter}: with visibility {@code delayed_public}, when the ledger reveals the content;
 * otherwise null (also in events recorded before the field existed).
 */
@Revision("1")
public record ExpenseRecordedEvent(
        String fundId,
        String organisationId,
        String expenseId,
        String projectId,
        long amount,
        String currency,
        String category,
        String recipientType,
        String recipientReference,
        Visibility visibility,
        Instant publicAfter,
        String noteId) implements OrganisationScoped {
}
