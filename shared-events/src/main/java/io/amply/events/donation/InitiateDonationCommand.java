package io.amply.events.donation;

import io.amply.events.Visibility;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/**
 * Starts a donation (pending) before the payment provider confirms it. The donor's identity is
 * not part of it: it lives in the mutable donations table, so erasing a person never touches
 * an event. {@code publicAfter}: set exactly when the visibility is {@code delayed_public}.
 */
public record InitiateDonationCommand(
        @TargetAggregateIdentifier String donationId,
        String organisationId,
        String fundId,
        String campaignId,
        String businessId,
        long amount,
        String currency,
        Visibility visibility,
        boolean donorCoversFees,
        Instant publicAfter) {
}
