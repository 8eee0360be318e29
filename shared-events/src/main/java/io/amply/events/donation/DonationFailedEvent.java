package io.amply.events.donation;

import io.amply.events.OrganisationScoped;
import org.axonframework.serialization.Revision;

/** No money moved: no ledger effect. */
@Revision("1")
public record DonationFailedEvent(String donationId, String organisationId, String reason) implements OrganisationScoped {
}
