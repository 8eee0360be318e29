package io.amply.events.organisation;

import io.amply.events.OrganisationScoped;
import org.axonframework.serialization.Revision;

/**
 * A checkpoint was asked for. The ledger projector handles it in the organisation's order, so
 * the checkpoint covers exactly the entries of every event before this one.
 */
@Revision("1")
public record LedgerCheckpointRequestedEvent(String organisationId, String requestedBy) implements OrganisationScoped {
}
