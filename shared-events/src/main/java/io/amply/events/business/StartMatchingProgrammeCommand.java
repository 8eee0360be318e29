package io.amply.events.business;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/**
 * The business matches donations to {@code organisationId} — only those attributed to
 * {@code campaignId} when it is set, every donation in {@code currency} otherwise — at
 * {@code ratioPercent} (100 = 1:1, 50 = 1:2) of each donation, up to {@code capAmount} minor
 * units in all, between {@code startsAt} and {@code endsAt} (each optional).
 */
public record StartMatchingProgrammeCommand(
        @TargetAggregateIdentifier String businessId,
        String programmeId,
        String organisationId,
        String campaignId,
        int ratioPercent,
        long capAmount,
        String currency,
        Instant startsAt,
        Instant endsAt,
        String startedBy) {
}
