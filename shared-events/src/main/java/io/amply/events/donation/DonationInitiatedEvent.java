package io.amply.events.donation;

import io.amply.events.OrganisationScoped;
import io.amply.events.Visibility;
import org.axonframework.serialization.Revision;

@Revision("1")
public record DonationInitiatedEvent(
        String donationId,
        String organisationId,
        String fundId,
        String campaignId,
        String businessId,
        long amount,
        String currency,
        Visibility visibility,
        boolean donorCoversFees) implements OrganisationScoped {
}
