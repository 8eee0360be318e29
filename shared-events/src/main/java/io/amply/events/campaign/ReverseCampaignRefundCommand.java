package io.amply.events.campaign;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Puts a refund of a campaign donation that failed back on the campaign's raised total; sent by the command side
 * itself. {@code wasRefundedInFull}: nothing of the donation was left before, so it counts as a donor again.
 */
public record ReverseCampaignRefundCommand(
        @TargetAggregateIdentifier String campaignId,
        String donationId,
        String reversalId,
        long amount,
        boolean wasRefundedInFull) {
}
