package io.amply.events.donation;

import io.amply.events.OrganisationScoped;
import io.amply.events.Visibility;
import org.axonframework.serialization.Revision;

/**
 * {@code amount} went back to the donor; {@code totalRefunded} is the running total for the
 * donation. {@code campaignId} is the campaign the donation counted towards, if any.
 */
@Revision("1")
public record DonationRefundedEvent(
        String donationId,
        String organisationId,
        String fundId,
        String refundId,
        long amount,
        String currency,
        String reason,
        long totalRefunded,
        Visibility visibility,
        String campaignId) implements OrganisationScoped {
}
