package io.amply.events.donation;

/**
 * One of the payment provider's refunds of a payment, as the provider has it now. {@code standing}: the money has
 * left, or is leaving, the account (pending, requires_action, succeeded); false once it failed or was cancelled,
 * which is final. {@code reason}: the refund's reason code while standing, its failure code once not.
 * {@code refundId} and {@code reversalId}: the ids Amply gives its booking ({@code rfd_…}) and, if it is booked back,
 * that booking ({@code rfr_…}).
 */
public record ProviderRefund(String providerRefundId, long amount, boolean standing, String reason, String refundId,
                             String reversalId) {
}
