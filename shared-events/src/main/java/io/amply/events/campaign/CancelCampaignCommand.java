package io.amply.events.campaign;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Stops a draft or active campaign for good. Its reason, if any, is kept beside the campaign, never in an event. */
public record CancelCampaignCommand(@TargetAggregateIdentifier String campaignId, String cancelledBy) {
}
