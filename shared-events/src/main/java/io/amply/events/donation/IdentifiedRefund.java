package io.amply.events.donation;

/** One of the payment provider's refunds ({@code re_…}) that a donation's books already count, and the amount they count. */
public record IdentifiedRefund(String providerRefundId, long amount) {
}
