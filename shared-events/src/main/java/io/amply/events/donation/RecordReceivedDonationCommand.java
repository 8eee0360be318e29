package io.amply.events.donation;

import io.amply.events.Visibility;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/**
 * Records a donation whose money has already arrived: a bank transfer or cheque entered by an
 * organisation's finance user, with the payment reference and any fee the provider charged.
 * Amounts are minor units of {@code currency}. {@code businessId} is set when a business gave it
 * (directly, or as a matching programme's match). {@code publicAfter}: set exactly when the
 * visibility is {@code delayed_public}.
 */
public record RecordReceivedDonationCommand(
        @TargetAggregateIdentifier String donationId,
        String organisationId,
        String fundId,
        String campaignId,
        long amount,
        String currency,
        long feeAmount,
        String feeChargedBy,
        String paymentMethod,
        String paymentReference,
        Visibility visibility,
        String recordedBy,
        String businessId,
        Instant publicAfter) {
}
