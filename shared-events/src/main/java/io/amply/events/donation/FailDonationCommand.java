package io.amply.events.donation;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Only a pending donation fails. {@code reason}: Stripe's code, or null (an organisation's reason is kept on the donation). */
public record FailDonationCommand(@TargetAggregateIdentifier String donationId, String reason) {
}
