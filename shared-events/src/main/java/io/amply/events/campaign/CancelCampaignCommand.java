package io.amply.events.campaign;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Stops a draft or active campaign for good; {@code reason} is optional. */
public record CancelCampaignCommand(@TargetAggregateIdentifier String campaignId, String reason, String cancelledBy) {
}
