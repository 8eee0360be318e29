package io.amply.events.donation;

import io.amply.events.OrganisationScoped;
import io.amply.events.Visibility;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * {@code publicAfter}: with visibility {@code delayed_public}, when the ledger reveals the content;
 * otherwise null (also in events recorded before the field existed).
 */
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
        boolean donorCoversFees,
        Instant publicAfter) implements OrganisationScoped {
}
