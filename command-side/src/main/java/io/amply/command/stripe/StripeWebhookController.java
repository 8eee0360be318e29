package io.amply.command.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.amply.command.OneTransaction;
import io.amply.command.lookup.Lookups;
import io.amply.command.security.Caller;
import io.amply.command.security.OrganisationAccess;
import io.amply.command.security.Role;
import io.amply.command.web.ApiException;
import io.amply.command.web.RequestIds;
import io.amply.events.api.ApiData;
import io.amply.events.api.ApiEnvelope;
import io.amply.events.api.ApiErrorCode;
import io.amply.events.api.RateLimits;
import io.amply.events.donation.CompleteDonationCommand;
import io.amply.events.donation.FailDonationCommand;
import io.amply.events.donation.ApplyProviderRefundsCommand;
import io.amply.events.donation.ProviderRefund;
import io.amply.events.donation.ProviderRefundsApplied;
import jakarta.servlet.http.HttpServletRequest;
import org.axonframework.commandhandling.gateway.CommandGateway;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /v1/webhooks/stripe}: Stripe tells us a payment succeeded, failed or was refunded (and
 * {@code POST /v1/donations/{id}/reread-stripe-refunds}, which reads a donation's refunds from Stripe again).
 * The signature is checked first; each Stripe event is handled once (its id is recorded in the
 * same transaction as the command it causes); the donation is the one named in the
 * PaymentIntent's or Charge's {@code metadata.donation_id}.
 */
@RestController
class StripeWebhookController {

    private static final Logger log = LoggerFactory.getLogger(StripeWebhookController.class);
    /** The outcome of an event that cannot change its donation: acknowledged, so that Stripe stops sending it. */
    private static final String NOT_APPLIED = "not applied: ";

    private final String secret;
    private final CommandGateway commands;
    private final Lookups lookups;
    private final JdbcTemplate jdbc;
    private final OneTransaction oneTransaction;
    private final StripeFees fees;
    private final StripeRefunds refunds;
    private final ObjectMapper json;
    private final MeterRegistry meters;
    private final OrganisationAccess access;
    private final RateLimits rereads;
    private final Clock clock;

    StripeWebhookController(@Value("${amply.stripe.webhook-secret:}") String secret, CommandGateway commands,
                            Lookups lookups, JdbcTemplate jdbc, OneTransaction oneTransaction, StripeFees fees,
                            StripeRefunds refunds, ObjectMapper json, MeterRegistry meters, OrganisationAccess access,
                            @Value("${amply.stripe.reread.per-minute:10}") double rereadsPerMinute,
                            @Value("${amply.stripe.reread.burst:10}") int rereadBurst) {
        this.meters = meters;
        this.rereads = new RateLimits(rereadsPerMinute / 60, rereadBurst);
        this.access = access;
        this.secret = secret;
        this.commands = commands;
        this.lookups = lookups;
        this.jdbc = jdbc;
        this.oneTransaction = oneTransaction;
        this.fees = fees;
        this.refunds = refunds;
        this.json = json;
        this.clock = Clock.systemUTC();
    }

    @PostMapping("/v1/webhooks/stripe")
    @ApiData(StripeAnswers.StripeEventHandled.class)
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
        JsonNode reported = event.path("data").path("object");
        // asked of the database and of Stripe before the transaction starts, so that no transaction waits on Stripe.
        // A refund's update (it failed, was cancelled, went through) changes its charge's refunds as a refund does, and is
        // about that charge
        boolean refundUpdate = isRefundUpdate(type, reported);
        String early = refundUpdate ? whyNotAboutACharge(reported) : null;
        JsonNode object = refundUpdate && early == null ? refunds.charge(reported.path("charge").asText()) : reported;
        String kind = refundUpdate ? "charge.refunded" : type;
        // the donation's organisation, looked up once (a donation is never deleted, so the answer stands)
        Optional<String> owner = early == null && namesDonation(object)
                ? lookups.ownerIfAny(object.path("metadata").path("donation_id").asText(), "donation_id") : Optional.empty();
        long fee = "payment_intent.succeeded".equals(kind) && owner.isPresent() ? fees.of(object) : 0;
        // the charge's refunds as they stand now, whatever the event says they were when Stripe sent it
        List<ProviderRefund> standing = "charge.refunded".equals(kind) && owner.isPresent()
                ? refunds.of(object.path("id").asText("")) : List.of();
        if (refundUpdate && owner.isPresent()) {
            requireListed(reported, standing);
        }
        // a report that one of the charge's refunds failed or was cancelled: its id, for the outcome
        String undoneId = refundUpdate && !StripeRefunds.standing(reported.path("status").asText())
                ? reported.path("id").asText("") : null;
        // one unit of work owns the transaction: the event's id, its command and everything that
        // command causes commit together, or nothing does and Stripe's retry finds the event new; and
        // the donation's aggregate stays locked until then (DonationBatcher does the same). With Axon
        // Server's bus a command commits on its own instead; a failure after it leaves the event
        // unrecorded, and Stripe's retry then finds the donation changed ("not applied").
        String outcome = oneTransaction.run(() -> {
            int fresh = jdbc.update("INSERT INTO stripe_events_processed (event_id, type) VALUES (?, ?) ON CONFLICT DO NOTHING",
                    eventId, type);
            if (fresh == 0) {
                return "duplicate";
            }
            String result = early != null ? early : handle(kind, object, owner, fee, standing, undoneId);
            jdbc.update("UPDATE stripe_events_processed SET outcome = ? WHERE event_id = ?",
                    result.length() > 200 ? result.substring(0, 200) : result, eventId);
            return result;
        });
        if (outcome.startsWith(NOT_APPLIED)) {
            // acknowledged, so Stripe will not send it again: someone should look (stripe_events_processed keeps why)
            log.warn("Stripe event {} ({}) {}", eventId, type, outcome);
            meters.counter("amply.stripe.events.not.applied", "type", type).increment();
        }
        return ApiEnvelope.of(Map.of("event_id", eventId, "type", type, "outcome", outcome), RequestIds.current(http));
    }

    /**
     * {@code POST /v1/donations/{id}/reread-stripe-refunds}: reads the donation's Stripe refunds again and applies them
     * as a report of them would, for a change Stripe reported that was not applied then (a refund that failed before
     * 2026-11-29, of a donation refunded before Stripe's refund ids were kept) or never reached Amply (a webhook
     * endpoint down for longer than Stripe retries). Harmless when nothing changed: each refund is booked once and
     * booked back once. The organisation's owner, admin and finance users, and platform staff; at most
     * {@code amply.stripe.reread.burst} at once per organisation and node, refilled at {@code amply.stripe.reread.per-minute}.
     */
    @PostMapping("/v1/donations/{donationId}/reread-stripe-refunds")
    @ApiData(StripeAnswers.StripeRefundsReread.class)
    ApiEnvelope<Map<String, Object>> reread(@PathVariable String donationId, Caller caller, HttpServletRequest http) {
        String org = lookups.ownerOf(donationId, "donation_id");
        access.require(caller, org, Role.MONEY);
        String reference = lookups.donation(org, donationId).paymentReference();
        if (reference == null || !CompleteDonationCommand.isStripePayment(reference)) {
            throw ApiException.conflict("donation " + donationId + " was not "
                    + (reference == null ? "completed" : "paid through Stripe") + ": Stripe has no refunds of it");
        }
        // Each reread costs two or three of the Stripe account's API reads, which its reports need too (a refund's
        // state, a payment's fee): one organisation, or a key of it that leaked, may not spend them all
        RateLimits.Decision turn = rereads.take(org);
        if (!turn.allowed()) {
            meters.counter("amply.stripe.rereads.refused").increment();
            throw ApiException.tooMany("this organisation's donations had their Stripe refunds read " + rereads.burst()
                    + " times in a short while, the most this node reads for one organisation: send it again after "
                    + turn.retryAfterSeconds() + " s; nothing was read or written", turn.retryAfterSeconds());
        }
        // from Stripe before the transaction, as for its reports
        String chargeId;
        JsonNode charge;
        List<ProviderRefund> listed;
        try {
            chargeId = reference.startsWith("ch_") ? reference : refunds.chargeOf(reference);
            charge = refunds.charge(chargeId);
            listed = refunds.of(chargeId);
        } catch (StripeApi.Missing e) {
            throw ApiException.conflict(e.getMessage() + " (another Stripe account's payment?): donation " + donationId
                    + " has no refunds there to read");
        }
        // Only a payment made for one of this organisation's donations, as Stripe's reports are routed: a payment id
        // typed in by hand may be anyone's on the account, and its refunds are not this organisation's to book
        String madeFor = charge.path("metadata").path("donation_id").asText("");
        if (madeFor.isEmpty() || !lookups.ownerIfAny(madeFor, "donation_id").map(org::equals).orElse(false)) {
            throw ApiException.conflict("Stripe's charge " + chargeId + " was not made for a donation of this organisation, "
                    + "so its refunds are not read into donation " + donationId);
        }
        String outcome = oneTransaction.run(() ->
                refunded(lookups.heldDonationPastGate(org, donationId), charge, listed, null));
        if (outcome.startsWith(NOT_APPLIED)) {
            log.warn("Stripe refunds of donation {} read again for {}: {}", donationId, caller.userId(), outcome);
            meters.counter("amply.stripe.events.not.applied", "type", "reread-stripe-refunds").increment();
        } else {
            log.info("Stripe refunds of donation {} read again for {}: {}", donationId, caller.userId(), outcome);
        }
        return ApiEnvelope.of(Map.of("donation_id", donationId, "outcome", outcome), RequestIds.current(http));
    }

    /**
     * What each event means for the donation it names. An event that cannot change the donation
     * (completed twice, failed after it completed) is acknowledged as "not applied", with the reason
     * kept; one that may apply later (a refund of a donation not completed yet) or whose command is
     * refused is answered with an error, so Stripe delivers it again and nothing of it is kept.
     */
    private String handle(String type, JsonNode object, Optional<String> owner, long fee, List<ProviderRefund> standing,
                          String reportedId) {
        boolean relevant = switch (type) {
            case "payment_intent.succeeded", "payment_intent.payment_failed", "charge.refunded" -> true;
            default -> false;
        };
        if (!relevant) {
            return "ignored";
        }
        if (!namesDonation(object)) {
            return "ignored: the " + (type.startsWith("charge.") ? "charge" : "payment") + " names no donation";
        }
        String donationId = object.path("metadata").path("donation_id").asText();
        if (owner.isEmpty()) {
            // another application's or environment's payment on the same Stripe account: an error would
            // only have Stripe send it again for days
            return "ignored: no donation " + donationId;
        }
        // the organisation's gate, then the donation's row, both held until the event's transaction ends, before the
        // donation's aggregate (the order every change of a donation takes them in): its status is the one the command
        // meets, and a suspension committing now waits for this event (whose success may offer a match, which reads it)
        Lookups.DonationView donation = lookups.heldDonationPastGate(owner.get(), donationId);
        return switch (type) {
            case "payment_intent.succeeded" -> succeeded(donation, object, fee);
            case "payment_intent.payment_failed" -> failed(donation, object);
            default -> refunded(donation, object, standing, reportedId);
        };
    }

    /**
     * A refund's change (it failed after Stripe made it, a closed card say; it was cancelled; it went through), as
     * {@code charge.refund.updated} reports it on the refund object. Only that type: Stripe also reports it as
     * {@code refund.updated} and {@code refund.failed}; each would come to the same books, and one is enough.
     */
    private static boolean isRefundUpdate(String type, JsonNode object) {
        return "charge.refund.updated".equals(type) && "refund".equals(object.path("object").asText());
    }

    /**
     * The list read from Stripe must show the refund the event reports at least as far along as the event does: a list
     * read from a replica of Stripe's that lags would otherwise use the report up, recorded as handled, with nothing
     * booked. Refused (a server error) so that Stripe delivers the event again.
     */
    private static void requireListed(JsonNode reported, List<ProviderRefund> refunds) {
        String id = reported.path("id").asText("");
        boolean undone = !StripeRefunds.standing(reported.path("status").asText());
        if (refunds.stream().noneMatch(refund -> refund.providerRefundId().equals(id) && (!undone || !refund.standing()))) {
            throw new IllegalStateException("Stripe's list of the refunds of charge " + reported.path("charge").asText()
                    + " does not show refund " + id + " as " + reported.path("status").asText() + " yet");
        }
    }

    /**
     * Why a refund's update is not about one of our donations' charges, or null when it is: a
     * payment no donation was recorded with is another application's on the same Stripe account, of no interest here
     * (and Stripe is not asked about it).
     */
    private String whyNotAboutACharge(JsonNode refund) {
        String charge = refund.path("charge").asText("");
        if (lookups.stripePaymentOwners(refund.path("payment_intent").asText(""), charge).isEmpty()) {
            return "ignored: the refund's payment is no donation's";
        }
        if (charge.isEmpty()) {
            return NOT_APPLIED + "refund " + refund.path("id").asText("") + " of a donation's payment names no charge";
        }
        return null;
    }

    private static boolean namesDonation(JsonNode object) {
        return !object.path("metadata").path("donation_id").asText("").isEmpty();
    }

    /** A payment that failed first and then went through (the donor tried another card) completes it too. */
    private String succeeded(Lookups.DonationView donation, JsonNode intent, long fee) {
        if (!"pending".equals(donation.status()) && !"failed".equals(donation.status())) {
            return NOT_APPLIED + "donation " + donation.id() + " is already completed (" + donation.status() + ")";
        }
        long received = intent.path("amount_received").asLong(-1);
        String currency = intent.path("currency").asText("").toUpperCase(Locale.ROOT);
        if (received != donation.amount() || !currency.equals(donation.currency())) {
            return NOT_APPLIED + "Stripe received " + received + " " + currency + " but donation " + donation.id()
                    + " is " + donation.amount() + " " + donation.currency();
        }
        // a finance user may have recorded this payment by hand as another donation already, by its payment
        // intent's id or its charge's: counted once
        String payment = intent.path("id").asText();
        String charge = StripeFees.chargeId(intent);
        String[] ids = charge.isEmpty() ? new String[] {payment} : new String[] {payment, charge};
        Optional<String> recorded = lookups.paymentRecordedAs(donation.organisationId(), donation.id(), ids);
        if (recorded.isPresent()) {
            return NOT_APPLIED + "payment " + payment + " is already recorded as donation " + recorded.get();
        }
        lookups.claimStripePayment(donation.organisationId(), donation.id(), ids);
        commands.sendAndWait(new CompleteDonationCommand(donation.id(), CompleteDonationCommand.STRIPE_CARD, payment,
                fee, "stripe"));
        return "completed";
    }

    /** Only a pending donation fails: a failure reported after the money arrived is out of date. */
    private String failed(Lookups.DonationView donation, JsonNode intent) {
        if (!"pending".equals(donation.status())) {
            return NOT_APPLIED + "donation " + donation.id() + " is " + donation.status() + ", not pending";
        }
        // a code (card_declined, …) names no one; anything else is not taken into the event (StripeApi.code)
        commands.sendAndWait(new FailDonationCommand(donation.id(),
                StripeApi.code(intent.path("last_payment_error").path("code"), "payment_failed")));
        return "failed";
    }

    /**
     * A change in the refunds of the charge that completed the donation (its payment intent is the donation's payment
     * reference): a refund, or one that failed or was cancelled. The donation is given the charge's refunds as Stripe
     * has them now ({@code standing}, each by its id): the Donation books each once and books it back once, under its
     * own lock, so reports arriving together, late or out of order come to the same books. A change of any other
     * charge naming the donation is not applied. One of a donation that has not completed (its success not applied
     * yet: Stripe sends a charge's refund only after the charge succeeded) is refused, and Stripe delivers it again.
     */
    private String refunded(Lookups.DonationView named, JsonNode charge, List<ProviderRefund> standing, String reportedId) {
        Lookups.DonationView donation = named;
        if (donation.paymentReference() == null) {
            // The payment recorded by hand as another donation (whose success was then not applied to this one):
            // the money came back from that donation, which Stripe's reports never name.
            String[] ids = java.util.stream.Stream.of(charge.path("payment_intent").asText(""), charge.path("id").asText(""))
                    .filter(id -> !id.isEmpty()).toArray(String[]::new);
            Optional<String> recordedAs = ids.length == 0 ? Optional.empty()
                    : lookups.paymentRecordedAs(donation.organisationId(), donation.id(), ids);
            if (recordedAs.isEmpty()) {
                // Not completed (a success being committed holds the row, so this read waited for it): refused, and
                // Stripe delivers it again once the success is applied, to be checked against the payment below.
                throw ApiException.conflict("donation " + donation.id() + " is " + donation.status()
                        + "; a refund applies once it is completed");
            }
            donation = lookups.heldDonation(donation.organisationId(), recordedAs.get());
        }
        // the charge must be the payment that completed the donation: a second payment for the same
        // donation (a widget's retry), refunded as the duplicate it was, gives back none of this one
        String paidBy = charge.path("payment_intent").asText("");
        String currency = charge.path("currency").asText("").toUpperCase(Locale.ROOT);
        // (a donation completed by hand for a Stripe payment may name the charge itself)
        if (!donation.paymentReference().equals(paidBy)
                && !donation.paymentReference().equals(charge.path("id").asText(""))) {
            return NOT_APPLIED + "the refunded charge was paid by " + (paidBy.isEmpty() ? "no payment intent" : paidBy)
                    + ", but donation " + donation.id() + " by " + donation.paymentReference();
        }
        if (!currency.equals(donation.currency())) {
            return NOT_APPLIED + "the refunded charge is in " + currency + " but donation " + donation.id()
                    + " in " + donation.currency();
        }
        long listed = standing.stream().filter(ProviderRefund::standing).mapToLong(ProviderRefund::amount).sum();
        if (listed > donation.amount()) {
            // a refusal would only have Stripe deliver it again for days, recorded nowhere (a payment recorded by hand
            // as a donation of another amount): acknowledged and counted for someone to look at
            return NOT_APPLIED + "Stripe's refunds of the charge come to " + listed + ", more than the " + donation.amount()
                    + " donation " + donation.id() + " received";
        }
        // Stripe's reason codes (requested_by_customer, expired_or_canceled_card, …) go into the hashed ledger as they
        // are (StripeApi.code)
        ProviderRefundsApplied applied = commands.sendAndWait(new ApplyProviderRefundsCommand(donation.id(), standing));
        String of = donation == named ? "" : " of donation " + donation.id() + ", which recorded this payment";
        if (applied.untracked() && (reportedId != null || standing.stream().anyMatch(refund -> !refund.standing()))) {
            // counted for someone to look at: a failure may undo money the books still count as refunded
            return NOT_APPLIED + (reportedId != null ? "refund " + reportedId : "a refund") + " of donation " + donation.id()
                    + " failed or was cancelled, but its refunds were booked before Amply kept Stripe's refund ids and come "
                    + "to no set of Stripe's, so whether the books count it is not known, and nothing is booked back"
                    + (applied.refunded() > 0 ? " (refunded " + applied.refunded() + ")" : "");
        }
        List<String> done = new ArrayList<>(4);
        if (applied.identified()) {
            // refunds booked before Amply kept Stripe's ids came to exactly Stripe's: from now on each is tracked
            done.add("identified the refunds booked before by Stripe's refund ids");
        }
        if (applied.refunded() > 0) {
            done.add("refunded " + applied.refunded());
        }
        if (applied.bookedBack() > 0) {
            done.add("booked back " + applied.bookedBack());
        }
        if (applied.failedBeforeBooked() > 0) {
            done.add("booked and booked back " + applied.failedBeforeBooked() + " that failed before it was booked");
        }
        return (done.isEmpty() ? "nothing new to refund" : String.join(", ", done)) + of;
    }
}
