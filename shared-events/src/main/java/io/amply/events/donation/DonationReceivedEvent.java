package io.amply.events.donation;

import io.amply.events.OrganisationScoped;
import io.amply.events.Visibility;
import org.axonframework.serialization.Revision;

/**
 * Money for a donation arrived: {@code amount} gross, of which the payment provider kept
 * {@code feeAmount}. Carries no personal data (the donor is only {@code donationId}), because
 * this event feeds the public ledger.
 */
@Revision("1")
public record DonationReceivedEvent(
        String donationId,
        String organisationId,
        String fundId,
        String campaignId,
        long amount,
        String currency,
        long feeAmount,
        String feeChargedBy,
        String paymentMethod,
        String paymentReference,
        Visibility visibility) implements OrganisationScoped {
}
