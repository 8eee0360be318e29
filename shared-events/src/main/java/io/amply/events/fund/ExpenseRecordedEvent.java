package io.amply.events.fund;

import io.amply.events.OrganisationScoped;
import io.amply.events.Visibility;
import org.axonframework.serialization.Revision;

/** Money left a fund. {@code recipientReference} is an opaque reference (an invoice number), never a name. */
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
        Visibility visibility) implements OrganisationScoped {
}
