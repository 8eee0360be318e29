package io.amply.events.organisation;

import io.amply.events.OrganisationScoped;
import org.axonframework.serialization.Revision;

/** A suspended organisation is back to the status it had before (pending or verified). */
@Revision("1")
public record OrganisationReinstatedEvent(String organisationId, String status, String reinstatedBy) implements OrganisationScoped {
}
