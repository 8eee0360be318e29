package io.amply.events.donation;

import io.amply.events.OrganisationScoped;
import org.axonframework.serialization.Revision;

/**
 * No money moved: no ledger effect. {@code reason}: Stripe's code (card_declined, …); null for a failure
 * recorded through the API since 2026-11-29, whose reason stays on the donation, erasable with its donor
 * (before, the organisation's words).
 */
@Revision("1")
public record DonationFailedEvent(String donationId, String organisationId, String reason) implements OrganisationScoped {
}
