package io.amply.events.campaign;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Takes a refunded part of a campaign donation off the campaign's raised total; sent by the command side itself. */
public record RecordCampaignRefundCommand(
        @TargetAggregateIdentifier String campaignId,
        String donationId,
        String refundId,
        long amount) {
}
