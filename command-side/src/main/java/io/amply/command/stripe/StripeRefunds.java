package io.amply.command.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import io.amply.command.web.Ids;
import io.amply.events.donation.ProviderRefund;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A charge's refunds as they stand in Stripe now ({@code GET /v1/refunds?charge=…}, every page), each by its own id,
 * rather than a running total as an event says it stood when it was sent: Stripe delivers its events in no set order,
 * and a refund can fail days after it was made, its money back on the account. The Donation books each refund once
 * and books it back once ({@code ApplyProviderRefundsCommand}), so reports read at different moments come to the
 * same books in whatever order they are applied.
 */
@Component
class StripeRefunds {

    /** Pages of 100 read at most: a charge has a few refunds; this only ends a list that would never end. */
    private static final int MAX_PAGES = 100;

    private final StripeApi api;

    StripeRefunds(StripeApi api) {
        this.api = api;
    }

    /** The charge, which names its donation in its metadata as the payment did. */
    JsonNode charge(String chargeId) {
        JsonNode charge = api.get("/v1/charges/" + StripeApi.encoded(chargeId), "charge " + chargeId);
        if (!charge.path("id").asText("").equals(chargeId)) {
            throw new IllegalStateException("Stripe answered for charge " + chargeId + " with another object");
        }
        return charge;
    }

    /** The charge that paid a payment intent ({@code pi_…}): its latest, the one that went through. */
    String chargeOf(String paymentIntentId) {
        JsonNode intent = api.get("/v1/payment_intents/" + StripeApi.encoded(paymentIntentId), "payment " + paymentIntentId);
        String charge = StripeFees.chargeId(intent);
        if (!intent.path("id").asText("").equals(paymentIntentId)) {
            throw new IllegalStateException("Stripe answered for payment " + paymentIntentId + " with another object");
        }
        if (charge.isEmpty()) {
            throw new StripeApi.Missing("Stripe has no charge of payment " + paymentIntentId);
        }
        return charge;
    }

    /**
     * The charge's refunds as Stripe has them now, oldest first, each with the ids Amply would give its booking and
     * its booking back. Pending, requires_action and succeeded refunds stand (the money has left, or is leaving, the
     * account); failed and cancelled ones do not, for good.
     *
     * @throws IllegalStateException when Stripe's answer is not a whole list of this charge's refunds (a server error:
     *                               Stripe delivers the event again)
     */
    List<ProviderRefund> of(String chargeId) {
        List<ProviderRefund> newestFirst = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String after = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            JsonNode list = api.get("/v1/refunds?charge=" + StripeApi.encoded(chargeId) + "&limit=100"
                    + (after == null ? "" : "&starting_after=" + StripeApi.encoded(after)), "the refunds of charge " + chargeId);
            JsonNode data = list.path("data");
            if (!"list".equals(list.path("object").asText()) || !data.isArray()) {
                throw new IllegalStateException("Stripe's answer for the refunds of charge " + chargeId + " is not a list");
            }
            for (JsonNode refund : data) {
                String id = refund.path("id").asText("");
                JsonNode charge = refund.path("charge");
                long amount = refund.path("amount").asLong(-1);
                if (id.isEmpty() || !seen.add(id) || amount <= 0 || !refund.path("amount").isIntegralNumber()
                        || !chargeId.equals(charge.isObject() ? charge.path("id").asText() : charge.asText())) {
                    throw new IllegalStateException("Stripe listed a refund of charge " + chargeId + " Amply cannot take: "
                            + (id.isEmpty() ? "no id" : id));
                }
                boolean standing = standing(refund.path("status").asText(""));
                String reason = standing ? StripeApi.code(refund.path("reason"), "refunded through Stripe")
                        : "canceled".equals(refund.path("status").asText()) ? "refund_canceled"
                        : StripeApi.code(refund.path("failure_reason"), "refund_failed");
                newestFirst.add(new ProviderRefund(id, amount, standing, reason, Ids.next("rfd_"), Ids.next("rfr_")));
                after = id;
            }
            if (!list.path("has_more").asBoolean(false)) {
                List<ProviderRefund> oldestFirst = new ArrayList<>(newestFirst);
                Collections.reverse(oldestFirst);
                return oldestFirst;
            }
            if (data.isEmpty()) {
                throw new IllegalStateException("Stripe said more refunds of charge " + chargeId + " follow, and listed none");
            }
        }
        throw new IllegalStateException("charge " + chargeId + " has more than " + MAX_PAGES * 100 + " refunds in Stripe");
    }

    /** Whether a refund of this status has taken, or is taking, the money out: pending, requires_action, succeeded. */
    static boolean standing(String status) {
        return !"failed".equals(status) && !"canceled".equals(status);
    }
}
