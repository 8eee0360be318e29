package io.amply.command.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.amply.command.RuleViolation;
import io.amply.command.lookup.Lookups;
import io.amply.command.web.ApiException;
import io.amply.command.web.CommandRefusals;
import io.amply.command.web.Ids;
import io.amply.command.web.RequestIds;
import io.amply.events.api.ApiEnvelope;
import io.amply.events.api.ApiErrorCode;
import io.amply.events.donation.CompleteDonationCommand;
import io.amply.events.donation.FailDonationCommand;
import io.amply.events.donation.RefundDonationCommand;
import jakarta.servlet.http.HttpServletRequest;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;

/**
 * {@code POST /v1/webhooks/stripe}: Stripe tells us a payment succeeded, failed or was refunded.
 * The signature is checked first; each Stripe event is handled once (its id is recorded in the
 * same transaction as the command it causes); the donation is the one named in the
 * PaymentIntent's or Charge's {@code metadata.donation_id}.
 */
@RestController
class StripeWebhookController {

    private static final Logger log = LoggerFactory.getLogger(StripeWebhookController.class);

    private final String secret;
    private final CommandGateway commands;
    private final Lookups lookups;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final ObjectMapper json;
    private final Clock clock;

    StripeWebhookController(@Value("${amply.stripe.webhook-secret:}") String secret, CommandGateway commands,
                            Lookups lookups, JdbcTemplate jdbc, TransactionTemplate transactions, ObjectMapper json) {
        this.secret = secret;
        this.commands = commands;
        this.lookups = lookups;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.json = json;
        this.clock = Clock.systemUTC();
    }

    @PostMapping("/v1/webhooks/stripe")
    ApiEnvelope<Map<String, Object>> receive(@RequestBody byte[] payload,
                                             @RequestHeader(name = "Stripe-Signature", required = false) String signature,
                                             HttpServletRequest http) {
        if (secret.isBlank()) {
            throw new ApiException(ApiErrorCode.SERVER_ERROR, "the Stripe webhook secret is not configured", null);
        }
        String problem = StripeSignature.problem(signature, payload, secret, clock.instant());
        if (problem != null) {
            throw ApiException.invalid("Stripe-Signature", problem);
        }
        JsonNode event;
        try {
            event = json.readTree(payload);
        } catch (IOException e) {
            throw ApiException.invalid(null, "the payload is not JSON");
        }
        String eventId = event.path("id").asText("");
        String type = event.path("type").asText("");
        if (eventId.isEmpty() || type.isEmpty()) {
            throw ApiException.invalid(null, "a Stripe event has an id and a type");
        }
        String outcome = transactions.execute(status -> {
            int fresh = jdbc.update("INSERT INTO stripe_events_processed (event_id, type) VALUES (?, ?) ON CONFLICT DO NOTHING",
                    eventId, type);
            if (fresh == 0) {
                return "duplicate";
            }
            String result;
            try {
                result = handle(type, event.path("data").path("object"));
            } catch (RuleViolation refused) {
                result = notApplied(eventId, type, refused.getMessage());
            } catch (CommandExecutionException failed) {
                result = notApplied(eventId, type, CommandRefusals.answer(failed)
                        .filter(refused -> refused.error().code() != ApiErrorCode.NOT_FOUND)
                        .orElseThrow(() -> failed).error().message());
            }
            jdbc.update("UPDATE stripe_events_processed SET outcome = ? WHERE event_id = ?",
                    result.length() > 200 ? result.substring(0, 200) : result, eventId);
            return result;
        });
        return ApiEnvelope.of(Map.of("event_id", eventId, "type", type, "outcome", outcome), RequestIds.current(http));
    }

    /**
     * The donation is in a state this event cannot change (e.g. completed twice): retrying would not
     * help, so the delivery is acknowledged and the reason kept.
     */
    private static String notApplied(String eventId, String type, String reason) {
        log.warn("Stripe event {} ({}) not applied: {}", eventId, type, reason);
        return "not applied: " + reason;
    }

    private String handle(String type, JsonNode object) {
        return switch (type) {
            case "payment_intent.succeeded" -> succeeded(object);
            case "payment_intent.payment_failed" -> failed(object);
            case "charge.refunded" -> refunded(object);
            default -> "ignored";
        };
    }

    private String donationOf(JsonNode object) {
        String donationId = object.path("metadata").path("donation_id").asText("");
        if (donationId.isEmpty()) {
            throw ApiException.invalid("data.object.metadata.donation_id", "the payment names no donation");
        }
        return donationId;
    }

    private String succeeded(JsonNode intent) {
        String donationId = donationOf(intent);
        Lookups.DonationView donation = lookups.donation(lookups.ownerOf(donationId, "donation_id"), donationId);
        long received = intent.path("amount_received").asLong(-1);
        String currency = intent.path("currency").asText("").toUpperCase(Locale.ROOT);
        if (received != donation.amount() || !currency.equals(donation.currency())) {
            throw RuleViolation.conflict("Stripe received " + received + " " + currency + " but donation " + donationId
                    + " is " + donation.amount() + " " + donation.currency());
        }
        // the fee Stripe actually kept, when the event carries the charge's balance transaction
        long fee = intent.path("latest_charge").path("balance_transaction").path("fee").asLong(0);
        commands.sendAndWait(new CompleteDonationCommand(donationId, "card", intent.path("id").asText(), fee, "stripe"));
        return "completed";
    }

    private String failed(JsonNode intent) {
        String donationId = donationOf(intent);
        lookups.ownerOf(donationId, "donation_id");
        String reason = intent.path("last_payment_error").path("code").asText("payment_failed");
        commands.sendAndWait(new FailDonationCommand(donationId, reason));
        return "failed";
    }

    /** {@code amount_refunded} is cumulative: refund the part not yet refunded. */
    private String refunded(JsonNode charge) {
        String donationId = donationOf(charge);
        Lookups.DonationView donation = lookups.donation(lookups.ownerOf(donationId, "donation_id"), donationId);
        long newly = charge.path("amount_refunded").asLong(0) - donation.refundedAmount();
        if (newly <= 0) {
            return "nothing new to refund";
        }
        String reason = charge.path("refunds").path("data").path(0).path("reason").asText("refunded through Stripe");
        commands.sendAndWait(new RefundDonationCommand(donationId, Ids.next("rfd_"), newly, reason, "stripe"));
        return "refunded " + newly;
    }
}
