package io.amply.events.donation;

import io.amply.events.OrganisationScoped;
import org.axonframework.serialization.Revision;

import java.util.List;

/**
 * The refunds a donation had booked without the payment provider's refund ids (from the provider's running total
 * before 2026-11-29, or by hand) are identified as the provider's, by id: from now on each is booked, and booked back,
 * by its id, like the refunds of any other donation. Nothing is booked and no money moves: the books came to exactly
 * the provider's refunds when this was recorded. {@code booked}: the provider's refunds the books count (with the
 * amount each counts); {@code neverBooked}: those the provider lists as failed or cancelled that the books never
 * counted, so that they are never booked back.
 */
@Revision("1")
public record DonationRefundsIdentifiedEvent(
        String donationId,
        String organisationId,
        List<IdentifiedRefund> booked,
        List<String> neverBooked) implements OrganisationScoped {
}
