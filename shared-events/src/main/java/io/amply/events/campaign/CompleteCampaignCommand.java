package io.amply.events.campaign;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Closes an active campaign; what it raised stays raised. */
public record CompleteCampaignCommand(@TargetAggregateIdentifier String campaignId, String completedBy) {
}
