package io.amply.events.donation;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record FailDonationCommand(@TargetAggregateIdentifier String donationId, String reason) {
}
