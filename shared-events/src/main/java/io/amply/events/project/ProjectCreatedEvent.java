package io.amply.events.project;

import io.amply.events.OrganisationScoped;
import org.axonframework.serialization.Revision;

/** A project was created in planning; no money moved, so no ledger effect. */
@Revision("1")
public record ProjectCreatedEvent(
        String projectId,
        String organisationId,
        String fundId,
        String name,
        long budgetAmount,
        String currency,
        String createdBy) implements OrganisationScoped {
}
