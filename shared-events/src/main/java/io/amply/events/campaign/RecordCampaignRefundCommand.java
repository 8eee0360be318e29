package io.amply.events.campaign;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Takes a refunded part of a campaign donation off the campaign's raised total; sent by the command
 * side itself. {@code refundedInFull}: nothing of the donation is left, so it no longer counts as a donor.
 */
public record RecordCampaignRefundCommand(
        @TargetAggregateIdentifier String campaignId,
        String donationId,
        String refundId,
        long amount,
        boolean refundedInFull) {
}
