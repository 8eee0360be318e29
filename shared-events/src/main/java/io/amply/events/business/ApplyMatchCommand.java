package io.amply.events.business;

import io.amply.events.Visibility;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/**
 * Offers a received donation to a matching programme. Sent by the command side itself when a
 * donation in the programme's scope completed; the business commits a match of
 * min(amount × ratio, what is left of the cap), which becomes donation {@code matchDonationId}
 * into the same fund (and campaign), with the matched donation's visibility and {@code publicAfter}.
 */
public record ApplyMatchCommand(
        @TargetAggregateIdentifier String businessId,
        String programmeId,
        String donationId,
        String matchDonationId,
        String organisationId,
        String fundId,
        String campaignId,
        long donationAmount,
        String currency,
        Visibility visibility,
        Instant donatedAt,
        Instant publicAfter) {
}
