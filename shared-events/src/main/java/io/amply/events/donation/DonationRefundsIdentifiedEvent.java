package io.amply.events.donation;

import io.amply.events.OrganisationScoped;
import org.axonframework.serialization.Revision;

import java.util.List;

/**
 * The refunds a donation had booked without the payment provider's refund ids (from the provider's running total
 * before 2026-11-29, or by hand) are identified as the provider's, by id: from now on each is booked, and booked back,
 * by its id, like the refunds of any other donation. Nothing is booked and no money moves. Which of the provider's
 * refunds the books counted is recorded nowhere, so {@code booked} is a set of them that comes to exactly the books'
 * total (every one listed, else the standing ones, else the first set keeping the oldest), each with the amount it
 * counts as; whichever set it is, what follows brings the books to the provider's standing total.
 * {@code neverBooked}: the provider's failed or cancelled refunds outside {@code booked}, never to be booked back.
 */
@Revision("1")
public record DonationRefundsIdentifiedEvent(
        String donationId,
        String organisationId,
        List<IdentifiedRefund> booked,
        List<String> neverBooked) implements OrganisationScoped {
}
