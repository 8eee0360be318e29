package io.amply.command.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.stereotype.Component;

import java.util.regex.Pattern;

/**
 * A charge's refunds as they stand in Stripe now ({@code GET /v1/refunds?charge=…}, every page), rather than as an
 * event says they stood when it was sent: Stripe delivers its events in no set order, and a refund can fail days
 * after it was made, its money back on the account. What the charge has refunded is the sum of its refunds that
 * have not failed or been cancelled, so a report of any of its refunds, delivered in whatever order, brings the
 * donation to the same total.
 */
@Component
class StripeRefunds {

    /** Pages of 100 read at most: a charge has a few refunds; this only ends a list that would never end. */
    private static final int MAX_PAGES = 100;
    /** A Stripe code (duplicate, requested_by_customer, expired_or_canceled_card, …): it names no one. */
    private static final Pattern CODE = Pattern.compile("[a-z_]{1,50}");

    private final StripeApi api;

    StripeRefunds(StripeApi api) {
        this.api = api;
    }

    /**
     * What a charge has refunded now. {@code reason}: the newest standing refund's reason code, for what is refunded
     * now; {@code failureReason}: the newest failed or cancelled one's, for what is booked back.
     */
    record Standing(long refunded, String reason, String failureReason) {
    }

    /** The charge, which names its donation in its metadata as the payment did. */
    JsonNode charge(String chargeId) {
        JsonNode charge = api.get("/v1/charges/" + StripeApi.encoded(chargeId), "charge " + chargeId);
        if (!charge.path("id").asText("").equals(chargeId)) {
            throw new IllegalStateException("Stripe answered for charge " + chargeId + " with another object");
        }
        return charge;
    }

    Standing of(String chargeId) {
        long refunded = 0;
        String reason = null;
        String failureReason = null;
        String after = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            JsonNode list = api.get("/v1/refunds?charge=" + StripeApi.encoded(chargeId) + "&limit=100"
                    + (after == null ? "" : "&starting_after=" + StripeApi.encoded(after)), "the refunds of charge " + chargeId);
            JsonNode data = list.path("data");
            if (!data.isArray()) {
                throw new IllegalStateException("Stripe's list of the refunds of charge " + chargeId + " has no data");
            }
            for (JsonNode refund : data) { // newest first
                long amount = refund.path("amount").asLong(-1);
                if (amount < 0 || !refund.path("amount").isIntegralNumber()) {
                    throw new IllegalStateException("refund " + refund.path("id").asText() + " of charge " + chargeId
                            + " has no amount Amply can read");
                }
                switch (refund.path("status").asText("")) {
                    case "failed" -> failureReason = failureReason != null ? failureReason
                            : code(refund.path("failure_reason"), "refund_failed");
                    case "canceled" -> failureReason = failureReason != null ? failureReason : "refund_canceled";
                    default -> { // pending, requires_action, succeeded: the money has left, or is leaving, the account
                        refunded = Math.addExact(refunded, amount);
                        reason = reason != null ? reason : code(refund.path("reason"), "refunded through Stripe");
                    }
                }
                after = refund.path("id").asText("");
            }
            if (!list.path("has_more").asBoolean(false) || data.isEmpty() || after.isEmpty()) {
                return new Standing(refunded, reason, failureReason);
            }
        }
        throw new IllegalStateException("charge " + chargeId + " has more than " + MAX_PAGES * 100 + " refunds in Stripe");
    }

    /**
     * Stripe's code as it is, since it names no one and goes into the hashed ledger; anything else is not taken in, as
     * it could never be erased from there.
     */
    static String code(JsonNode value, String otherwise) {
        String text = value.asText("");
        return CODE.matcher(text).matches() ? text : otherwise;
    }
}
