package io.amply.events.campaign;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/**
 * Creates a campaign (status draft) that raises {@code goalAmount} minor units of {@code currency}
 * into {@code fundId} (a fund of that currency). {@code startsAt} and {@code endsAt} are optional:
 * without them the campaign accepts donations for as long as it is active.
 */
public record CreateCampaignCommand(
        @TargetAggregateIdentifier String campaignId,
        String organisationId,
        String fundId,
        String name,
        long goalAmount,
        String currency,
        Instant startsAt,
        Instant endsAt,
        String createdBy) {
}
