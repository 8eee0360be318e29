package io.amply.events.campaign;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Counts a received donation towards the campaign it was attributed to. Sent by the command side
 * itself when the donation's money arrived, never by a client.
 */
public record RecordCampaignDonationCommand(@TargetAggregateIdentifier String campaignId, String donationId, long amount) {
}
