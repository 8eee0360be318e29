package io.amply.events.campaign;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/** Opens a draft campaign for donations; {@code activatedAt} is when (a campaign that already ended cannot open). */
public record ActivateCampaignCommand(@TargetAggregateIdentifier String campaignId, Instant activatedAt, String activatedBy) {
}
