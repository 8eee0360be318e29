package io.amply.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.amply.command.web.Ids;
import io.amply.events.Visibility;
import io.amply.events.donation.DonationRefundedEvent;
import io.amply.ledger.hash.LedgerEntry;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.modelling.command.AggregateLifecycle;
import org.axonframework.modelling.command.Repository;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Stripe's webhook, signed as Stripe signs it, against the running command side. */
class StripeWebhookIT {

    private static TestStack stack;
    private static Api api;

    private static final String FINANCE = "sk_test_stripe_finance_1";
    private static final String VIEWER = "sk_test_stripe_viewer_1";

    @BeforeAll
    static void start() throws java.sql.SQLException {
        stack = TestStack.get();
        api = new Api(stack);
        AmplyDatabase.ensureUser(stack.database, "usr_stripefinance", "stripe-finance@example.org", "Finance", null,
                "key_stripefinance", FINANCE);
        AmplyDatabase.ensureUser(stack.database, "usr_stripeviewer", "stripe-viewer@example.org", "Viewer", null,
                "key_stripeviewer", VIEWER);
    }

    private static String sign(String secret, long t, String payload) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal((t + "." + payload).getBytes(StandardCharsets.UTF_8)));
    }

    private static Http.Response deliver(String payload, String signatureHeader) {
        return Http.post(stack.apps().commandUrl() + "/v1/webhooks/stripe", null, payload,
                Map.of("Stripe-Signature", signatureHeader));
    }

    private static Http.Response deliver(String payload) throws Exception {
        long t = Instant.now().getEpochSecond();
        return deliver(payload, "t=" + t + ",v1=" + sign("whsec_old_rolled_secret", t, payload)
                + ",v1=" + sign(TestStack.SECRETS.stripeWebhookSecret(), t, payload));
    }

    private static String pendingDonation(Api.Organisation org, long amount) {
        return api.ok("/v1/donations", Api.admin(), """
                {"organisation_id": "%s", "fund_id": "%s", "amount": %d, "currency": "GBP"}"""
                .formatted(org.id(), org.generalFund(), amount)).get("id").asText();
    }

    /** The event as Stripe sends it: the charge named by id only; its fee is on Stripe's side (FakeStripe). */
    private static String succeeded(String eventId, String donation, long amount, long fee) {
        stack.stripe.settled("ch_" + donation, amount, "gbp", fee);
        return paymentSucceeded(eventId, donation, amount);
    }

    /**
     * A donation of {@code amount} paid through Stripe, of which Stripe then refunded {@code refunded} (refund id: the
     * prefix and the donation's id), not reported to Amply yet.
     */
    private static String paidAndRefundedInStripe(Api.Organisation org, long amount, String refundPrefix, long refunded) throws Exception {
        String donation = paidDonation(org, amount);
        stack.stripe.refund(chargeOf("pi_" + donation), "pi_" + donation, donation, "gbp", refundPrefix + donation, refunded,
                "succeeded", null);
        return donation;
    }

    /** The widget donation's Stripe payment, recorded by a finance user as a donation of its own of {@code amount}. */
    private static String recordedByHand(Api.Organisation org, String widget, long amount) {
        return api.ok("/v1/donations", Api.admin(), """
                {"organisation_id": "%s", "fund_id": "%s", "amount": %d, "currency": "GBP",
                 "payment": {"method": "other", "reference": "pi_%s"}}""".formatted(org.id(), org.generalFund(), amount, widget))
                .get("id").asText();
    }

    /** A donation paid through Stripe, its success reported (no fee). */
    private static String paidDonation(Api.Organisation org, long amount) throws Exception {
        String donation = pendingDonation(org, amount);
        deliver(succeeded("evt_" + UUID.randomUUID(), donation, amount, 0));
        return donation;
    }

    private static String paymentSucceeded(String eventId, String donation, long amount) {
        return """
                {"id": "%s", "type": "payment_intent.succeeded", "data": {"object": {"id": "pi_%s", "amount_received": %d,
                 "currency": "gbp", "metadata": {"donation_id": "%s"}, "latest_charge": "ch_%s"}}}"""
                .formatted(eventId, donation, amount, donation, donation);
    }

    @Test
    void aSucceededPaymentCompletesTheDonationWithStripesFeeOnce() throws Exception {
        // given
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        String donation = pendingDonation(org, 5000);
        String event = "evt_" + UUID.randomUUID();

        // when: Stripe delivers the event twice
        Http.Response first = deliver(succeeded(event, donation, 5000, 175));
        Http.Response duplicate = deliver(succeeded(event, donation, 5000, 175));

        // then
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body().get("data").get("outcome").asText()).isEqualTo("completed");
        assertThat(duplicate.body().get("data").get("outcome").asText()).isEqualTo("duplicate");
        assertThat(api.balance(org.generalFund())).isEqualTo(5000 - 175);
        assertThat(api.ledger(org.id(), c -> c.size() == 2)).extracting(LedgerEntry::amount).containsExactly(5000L, -175L);
        assertThat(api.ledger(org.id(), c -> c.size() == 2).get(1).metadata().get("charged_by").asText()).isEqualTo("stripe");
    }

    @Test
    void aFailedPaymentFailsTheDonationAndMovesNoMoney() throws Exception {
        // given
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        String donation = pendingDonation(org, 900);

        // when
        Http.Response response = deliver("""
                {"id": "evt_%s", "type": "payment_intent.payment_failed", "data": {"object": {"id": "pi_x",
                 "metadata": {"donation_id": "%s"}, "last_payment_error": {"code": "card_declined"}}}}"""
                .formatted(UUID.randomUUID(), donation));

        // then
        assertThat(response.status()).isEqualTo(200);
        JsonNode view = api.get("/v1/donations/" + donation, Api.admin()).body().get("data");
        assertThat(view.get("status").asText()).isEqualTo("failed");
        assertThat(api.balance(org.generalFund())).isZero();
    }

    @Test
    void aChargeRefundedRefundsWhatWasNotYetRefunded() throws Exception {
        // given
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        String donation = pendingDonation(org, 4000);
        deliver(succeeded("evt_" + UUID.randomUUID(), donation, 4000, 0));

        // when: two refunds, amount_refunded being cumulative in Stripe's charge
        deliver(refunded(donation, 1000));
        deliver(refunded(donation, 4000));

        // then
        assertThat(api.balance(org.generalFund())).isZero();
        assertThat(api.ledger(org.id(), c -> c.size() == 3)).extracting(LedgerEntry::amount)
                .containsExactly(4000L, -1000L, -3000L);
    }

    @Test
    void aDonationPaidThroughStripeIsRefundedFromStripesReportsAndNotAlsoByHand() throws Exception {
        // given: a card donation, part of it refunded in Stripe's dashboard and reported
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        String donation = pendingDonation(org, 1000);
        deliver(succeeded("evt_" + UUID.randomUUID(), donation, 1000, 0));
        deliver(refunded(donation, 500));

        // when: a finance user records the same refund through the API as well
        Http.Response byHand = api.post("/v1/donations/" + donation + "/refund", Api.admin(),
                "{\"amount\": 500, \"reason\": \"refunded in Stripe\"}");

        // then: refused, and the money is counted once
        assertThat(byHand.status()).as(byHand.raw()).isEqualTo(409);
        assertThat(byHand.body().at("/error/code").asText()).isEqualTo("conflict");
        assertThat(byHand.body().at("/error/message").asText()).contains("refund it in Stripe");
        assertThat(api.get("/v1/donations/" + donation, Api.admin()).body().at("/data/refunded_amount").asLong())
                .isEqualTo(500);
        assertThat(api.balance(org.generalFund())).isEqualTo(500);
        // and Stripe's report of the rest still refunds the rest
        deliver(refunded(donation, 1000));
        assertThat(api.balance(org.generalFund())).isZero();
        assertThat(api.ledger(org.id(), c -> c.size() == 3)).extracting(LedgerEntry::amount)
                .containsExactly(1000L, -500L, -500L);
    }

    @Test
    void aStripePaymentCompletedByHandIsRefundedFromStripesReportsAndNotAlsoByHand() throws Exception {
        // given: Stripe's success was not applied (say its webhook failed), so a finance user completed the
        // donation with the payment intent's id, which Stripe's refund reports name
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        String donation = pendingDonation(org, 1000);
        api.ok("/v1/donations/" + donation + "/complete", Api.admin(),
                "{\"method\": \"other\", \"reference\": \"pi_" + donation + "\"}");
        deliver(refunded(donation, 400));

        // when: the same refund is recorded through the API as well
        Http.Response byHand = api.post("/v1/donations/" + donation + "/refund", Api.admin(),
                "{\"amount\": 400, \"reason\": \"refunded in Stripe\"}");

        // then: refused, and Stripe's report alone counts
        assertThat(byHand.status()).as(byHand.raw()).isEqualTo(409);
        assertThat(byHand.body().at("/error/message").asText()).contains("refund it in Stripe");
        assertThat(api.get("/v1/donations/" + donation, Api.admin()).body().at("/data/refunded_amount").asLong())
                .isEqualTo(400);
        assertThat(api.balance(org.generalFund())).isEqualTo(600);
    }

    @Test
    void aStripePaymentRecordedByHandAsAnotherDonationIsCountedOnce() throws Exception {
        // given: a widget's pending donation, whose payment a finance user recorded as a donation of its own
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        String widget = pendingDonation(org, 1000);
        String byHand = recordedByHand(org, widget, 1000);
        // and part of it refunded in Stripe since (the donation still received that payment)
        deliver(refunded(byHand, "pi_" + widget, 200));

        // when: Stripe reports the payment for the widget's donation, and someone completes it by hand as well
        Http.Response delivered = deliver(succeeded("evt_" + UUID.randomUUID(), widget, 1000, 30));
        Http.Response completed = api.post("/v1/donations/" + widget + "/complete", Api.admin(),
                "{\"method\": \"other\", \"reference\": \"pi_" + widget + "\"}");
        Http.Response again = api.post("/v1/donations", Api.admin(), """
                {"organisation_id": "%s", "fund_id": "%s", "amount": 1000, "currency": "GBP",
                 "payment": {"method": "other", "reference": "pi_%s"}}""".formatted(org.id(), org.generalFund(), widget));

        // then: the money is counted once, as the donation recorded first
        assertThat(delivered.body().at("/data/outcome").asText()).startsWith("not applied").contains(byHand);
        for (Http.Response refused : List.of(completed, again)) {
            assertThat(refused.status()).as(refused.raw()).isEqualTo(409);
            assertThat(refused.body().at("/error/message").asText()).contains("already recorded as donation " + byHand);
        }
        assertThat(api.get("/v1/donations/" + widget, Api.admin()).body().at("/data/status").asText()).isEqualTo("pending");
        assertThat(api.balance(org.generalFund())).isEqualTo(800);
        // and Stripe's report of a refund of that payment, which names the widget's donation, refunds the donation
        // that recorded it (until 2026-11-29 it was refused for ever, the widget's donation never completing)
        Http.Response refund = deliver(refunded(widget, "pi_" + widget, 500));
        assertThat(refund.body().at("/data/outcome").asText()).as(refund.raw())
                .isEqualTo("refunded 300 of donation " + byHand + ", which recorded this payment");
        assertThat(api.balance(org.generalFund())).isEqualTo(500);
        // a bank transfer's reference may repeat (a standing order's): not checked
        api.ok("/v1/donations", Api.admin(), """
                {"organisation_id": "%s", "fund_id": "%s", "amount": 500, "currency": "GBP",
                 "payment": {"method": "bank_transfer", "reference": "STANDING ORDER 7"}}""".formatted(org.id(), org.generalFund()));
        api.ok("/v1/donations", Api.admin(), """
                {"organisation_id": "%s", "fund_id": "%s", "amount": 500, "currency": "GBP",
                 "payment": {"method": "bank_transfer", "reference": "STANDING ORDER 7"}}""".formatted(org.id(), org.generalFund()));
        assertThat(api.balance(org.generalFund())).isEqualTo(1500);
    }

    @Test
    void aStripePaymentIsOnePaymentByItsIntentsIdAndByItsChargesId() throws Exception {
        // given: a widget's donation completed through Stripe: its payment intent pi_…, whose charge is ch_…
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        String widget = pendingDonation(org, 1000);
        deliver(succeeded("evt_" + UUID.randomUUID(), widget, 1000, 0));

        // when: a finance user records the charge's id by hand, as a donation of its own
        Http.Response byCharge = api.post("/v1/donations", Api.admin(), received(org, 1000, "ch_" + widget));

        // then: refused, the money counted once (until 2026-11-29 only the same id was caught)
        assertThat(byCharge.status()).as(byCharge.raw()).isEqualTo(409);
        assertThat(byCharge.body().at("/error/message").asText()).contains("already recorded as donation " + widget);
        assertThat(api.balance(org.generalFund())).isEqualTo(1000);
        // and the other way round: a charge recorded by hand first, then Stripe's success of the intent it belongs to
        String pledge = pendingDonation(org, 700);
        String byHand = api.ok("/v1/donations", Api.admin(), received(org, 700, "ch_" + pledge)).get("id").asText();
        Http.Response delivered = deliver(succeeded("evt_" + UUID.randomUUID(), pledge, 700, 0));
        assertThat(delivered.body().at("/data/outcome").asText()).as(delivered.raw()).startsWith("not applied").contains(byHand);
        assertThat(api.balance(org.generalFund())).isEqualTo(1700);
        // and so when Stripe's event names the charge as API versions before 2022-11-15 did, in charges.data
        String older = pendingDonation(org, 300);
        String olderByHand = api.ok("/v1/donations", Api.admin(), received(org, 300, "ch_" + older)).get("id").asText();
        stack.stripe.settled("ch_" + older, 300, "gbp", 0);
        Http.Response olderShape = deliver("""
                {"id": "evt_%s", "type": "payment_intent.succeeded", "data": {"object": {"id": "pi_%s", "amount_received": 300,
                 "currency": "gbp", "metadata": {"donation_id": "%s"}, "charges": {"data": [{"id": "ch_%s", "balance_transaction": "txn_%s"}]}}}}"""
                .formatted(UUID.randomUUID(), older, older, older, older));
        assertThat(olderShape.body().at("/data/outcome").asText()).as(olderShape.raw()).startsWith("not applied").contains(olderByHand);
        assertThat(api.balance(org.generalFund())).isEqualTo(2000);
    }

    private static String received(Api.Organisation org, long amount, String reference) {
        return """
                {"organisation_id": "%s", "fund_id": "%s", "amount": %d, "currency": "GBP",
                 "payment": {"method": "other", "reference": "%s"}}""".formatted(org.id(), org.generalFund(), amount, reference);
    }

    @Test
    void aRefundThatFailedInStripeIsBookedBackEverywhereAndARefundOfTheSameAmountLaterIsNewMoneyOut() throws Exception {
        // given: a campaign donation paid through Stripe, refunded in full in two refunds, each reported
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        String campaign = api.activeCampaign(org, "GBP", 10_000);
        String donation = api.ok("/v1/donations", Api.admin(), """
                {"organisation_id": "%s", "fund_id": "%s", "campaign_id": "%s", "amount": 2000, "currency": "GBP"}"""
                .formatted(org.id(), org.generalFund(), campaign)).get("id").asText();
        String payment = "pi_" + donation;
        deliver(succeeded("evt_" + UUID.randomUUID(), donation, 2000, 0));
        deliver(refunded(donation, 500));
        stack.stripe.refund(chargeOf(payment), payment, donation, "gbp", "re_closedcard" + donation, 1500, "succeeded", null);
        String inFull = chargeRefunded(donation, payment, 2000);
        assertThat(deliver(inFull).body().at("/data/outcome").asText()).isEqualTo("refunded 1500");
        assertThat(api.get("/v1/campaigns/" + campaign, Api.admin()).body().at("/data/donor_count").asInt()).isZero();

        // when: the second refund fails (the card was closed), its money back on the Stripe balance, and Stripe says so
        stack.stripe.refund(chargeOf(payment), payment, donation, "gbp", "re_closedcard" + donation, 1500, "failed",
                "expired_or_canceled_card");
        Http.Response failed = deliver(refundFailed("re_closedcard" + donation, 1500, payment));

        // then: booked back (until 2026-11-29 it was only reported as "not applied"), on the donation, its fund, its
        // campaign and its ledger, with Stripe's failure code and the donation's entry named
        assertThat(failed.status()).as(failed.raw()).isEqualTo(200);
        assertThat(failed.body().at("/data/outcome").asText()).isEqualTo("booked back 1500");
        JsonNode view = api.get("/v1/donations/" + donation, Api.admin()).body().get("data");
        assertThat(view.get("refunded_amount").asLong()).isEqualTo(500);
        assertThat(view.get("status").asText()).isEqualTo("partially_refunded");
        assertThat(api.balance(org.generalFund())).isEqualTo(1500);
        JsonNode counted = api.get("/v1/campaigns/" + campaign, Api.admin()).body().get("data");
        assertThat(counted.get("raised_amount").asLong()).isEqualTo(1500);
        assertThat(counted.get("donor_count").asInt()).isEqualTo(1);
        List<LedgerEntry> chain = api.ledger(org.id(), c -> c.size() == 4);
        assertThat(chain).extracting(LedgerEntry::type)
                .containsExactly("donation_received", "donation_refunded", "donation_refunded", "refund_reversed");
        assertThat(chain).extracting(LedgerEntry::amount).containsExactly(2000L, -500L, -1500L, 1500L);
        assertThat(chain.get(3).metadata().get("reason").asText()).isEqualTo("expired_or_canceled_card");
        assertThat(chain.get(3).metadata().get("original_entry_id").asText()).isEqualTo(chain.get(0).id());

        // and the read models follow: the public campaign, the organisation's figures, the members' transactions
        String query = stack.apps().queryUrl();
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            JsonNode progress = Http.get(query + "/v1/public/campaigns/" + campaign, null).body().get("data");
            assertThat(progress.get("raised_amount").asLong()).isEqualTo(1500);
            assertThat(progress.get("donor_count").asInt()).isEqualTo(1);
            JsonNode totals = Http.get(query + "/v1/public/organisations/" + org.id(), null).body().at("/data/stats/totals/0");
            assertThat(totals.get("refunded_amount").asLong()).isEqualTo(500);
            JsonNode rows = Http.get(query + "/v1/organisations/" + org.id() + "/transactions?type=refund_reversed",
                    Api.admin()).body().get("data");
            assertThat(rows).singleElement().satisfies(row -> {
                assertThat(row.get("direction").asText()).isEqualTo("incoming");
                assertThat(row.get("amount").asLong()).isEqualTo(1500);
            });
        });

        // and Stripe's earlier report, delivered late, refunds nothing again: Stripe's refunds come to 500 now
        assertThat(deliver(chargeRefunded(donation, payment, 2000)).body().at("/data/outcome").asText())
                .isEqualTo("nothing new to refund");
        assertThat(deliver(refundFailed("re_closedcard" + donation, 1500, payment)).body().at("/data/outcome").asText())
                .isEqualTo("nothing new to refund");
        assertThat(api.balance(org.generalFund())).isEqualTo(1500);

        // and when the organisation refunds the same 1,500 again and it goes through, that is new money out (until
        // 2026-11-29 the donation's total still counted the failed refund, and this was taken as nothing new)
        assertThat(deliver(refunded(donation, 2000)).body().at("/data/outcome").asText()).isEqualTo("refunded 1500");
        assertThat(api.balance(org.generalFund())).isZero();
        assertThat(api.ledger(org.id(), c -> c.size() == 5).get(4).amount()).isEqualTo(-1500L);
    }

    @Test
    void aRefundOfADonationRefundedBeforeStripesRefundIdsWereKeptIsBookedBackOnceItsRefundsAreIdentified() throws Exception {
        // given: a donation paid through Stripe whose two refunds, 500 and 700, were booked before 2026-11-29, as one
        // refund of Stripe's running total, without Stripe's refund ids (the event as that release recorded it)
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        String donation = paidDonation(org, 2000);
        String payment = "pi_" + donation;
        stack.stripe.refund(chargeOf(payment), payment, donation, "gbp", "re_early" + donation, 500, "succeeded", null);
        stack.stripe.refund(chargeOf(payment), payment, donation, "gbp", "re_late" + donation, 700, "succeeded", null);
        bookedFromTheRunningTotal(org, donation, 1200);
        assertThat(api.balance(org.generalFund())).isEqualTo(800);

        // when: the second refund fails in Stripe
        stack.stripe.refund(chargeOf(payment), payment, donation, "gbp", "re_late" + donation, 700, "failed",
                "expired_or_canceled_card");
        Http.Response failed = deliver(refundFailed("re_late" + donation, 700, payment));

        // then: the books (1,200) come to every refund Stripe lists, so they are those refunds, and the failed one is
        // booked back (until 2026-11-29 this was "not applied", nothing booked back)
        assertThat(failed.body().at("/data/outcome").asText()).as(failed.raw())
                .isEqualTo("identified the refunds booked before by Stripe's refund ids, booked back 700");
        assertThat(api.balance(org.generalFund())).isEqualTo(1500);
        assertThat(api.get("/v1/donations/" + donation, Api.admin()).body().at("/data/refunded_amount").asLong()).isEqualTo(500);
        List<LedgerEntry> chain = api.ledger(org.id(), c -> c.size() == 3);
        assertThat(chain).extracting(LedgerEntry::type).containsExactly("donation_received", "donation_refunded", "refund_reversed");
        assertThat(chain).extracting(LedgerEntry::amount).containsExactly(2000L, -1200L, 700L);

        // and from then on the donation's refunds are tracked by id: the same report again books nothing, a new refund is new
        assertThat(deliver(refundFailed("re_late" + donation, 700, payment)).body().at("/data/outcome").asText())
                .isEqualTo("nothing new to refund");
        assertThat(deliver(refunded(donation, 800)).body().at("/data/outcome").asText()).isEqualTo("refunded 300");
        assertThat(api.balance(org.generalFund())).isEqualTo(1200);
    }

    @Test
    void aFailedRefundStripeReportedBeforeItCouldBeBookedBackIsBookedBackWhenTheDonationsRefundsAreReadAgain() throws Exception {
        // given: a donation refunded 500 and 700 before 2026-11-29 (booked as one refund, without Stripe's ids), the 700
        // failing after that, its report answered "not applied" then (so Stripe will not send it again)
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        String donation = paidDonation(org, 2000);
        String payment = "pi_" + donation;
        stack.stripe.refund(chargeOf(payment), payment, donation, "gbp", "re_early" + donation, 500, "succeeded", null);
        stack.stripe.refund(chargeOf(payment), payment, donation, "gbp", "re_late" + donation, 700, "succeeded", null);
        bookedFromTheRunningTotal(org, donation, 1200);
        stack.stripe.refund(chargeOf(payment), payment, donation, "gbp", "re_late" + donation, 700, "failed",
                "expired_or_canceled_card");

        api.ok("/v1/organisations/" + org.id() + "/memberships", Api.admin(), "{\"user_id\": \"usr_stripefinance\", \"role\": \"finance\"}");
        api.ok("/v1/organisations/" + org.id() + "/memberships", Api.admin(), "{\"user_id\": \"usr_stripeviewer\", \"role\": \"viewer\"}");

        // when: a viewer may not, a finance user has the donation's refunds read from Stripe again (by its payment
        // intent, as recorded)
        api.refused("/v1/donations/" + donation + "/reread-stripe-refunds", VIEWER, "", 403, "authorization_error");
        Http.Response reread = api.post("/v1/donations/" + donation + "/reread-stripe-refunds", FINANCE, "");

        // then: identified and booked back, as Stripe's report would be now; and again, nothing more
        assertThat(reread.status()).as(reread.raw()).isEqualTo(200);
        assertThat(reread.body().at("/data/outcome").asText())
                .isEqualTo("identified the refunds booked before by Stripe's refund ids, booked back 700");
        assertThat(api.balance(org.generalFund())).isEqualTo(1500);
        assertThat(api.post("/v1/donations/" + donation + "/reread-stripe-refunds", Api.admin(), "").body()
                .at("/data/outcome").asText()).isEqualTo("nothing new to refund");
        assertThat(api.balance(org.generalFund())).isEqualTo(1500);

        // and a donation received by bank transfer has no Stripe refunds to read
        String byBank = api.receive(Api.admin(), org.id(), org.generalFund(), 300, "GBP", 0).get("id").asText();
        api.refused("/v1/donations/" + byBank + "/reread-stripe-refunds", Api.admin(), "", 409, "conflict");
    }

    @Test
    void refundsBookedBeforeStripesIdsThatComeToNoSetOfStripesAreNotBookedBackWhenReadAgain() throws Exception {
        // given: 1,600 booked without Stripe's ids, of which Stripe has 1,000 standing and 300 that failed
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        String donation = paidDonation(org, 2000);
        String payment = "pi_" + donation;
        stack.stripe.refund(chargeOf(payment), payment, donation, "gbp", "re_kept" + donation, 1000, "succeeded", null);
        stack.stripe.refund(chargeOf(payment), payment, donation, "gbp", "re_gone" + donation, 300, "failed",
                "expired_or_canceled_card");
        bookedFromTheRunningTotal(org, donation, 1600);

        // when
        Http.Response reread = api.post("/v1/donations/" + donation + "/reread-stripe-refunds", Api.admin(), "");

        // then: which of the books' refunds failed is not known: said so, nothing booked back
        assertThat(reread.body().at("/data/outcome").asText()).as(reread.raw())
                .startsWith("not applied: a refund of donation " + donation + " failed or was cancelled")
                .contains("come to no set of Stripe's");
        assertThat(api.balance(org.generalFund())).isEqualTo(400);
    }

    @Test
    void anOrganisationMayNotSpendTheStripeAccountsReadsOnRereads() throws Exception {
        // given: two organisations' donations paid and partly refunded through Stripe, one of them read again as often
        // as a node allows
        Api.Organisation busy = api.organisation(Api.admin(), "GBP");
        String donation = paidAndRefundedInStripe(busy, 2000, "re_busy", 500);
        Api.Organisation other = api.organisation(Api.admin(), "GBP");
        String theirs = paidAndRefundedInStripe(other, 1000, "re_other", 300);
        for (int i = 0; i < 10; i++) { // amply.stripe.reread.burst, refilled at 1 a minute in the tests (TestStack)
            Http.Response reread = api.post("/v1/donations/" + donation + "/reread-stripe-refunds", Api.admin(), "");
            assertThat(reread.status()).as(reread.raw()).isEqualTo(200);
        }
        long readsBefore = stack.stripe.requests();

        // when: once more
        Http.Response refused = api.post("/v1/donations/" + donation + "/reread-stripe-refunds", Api.admin(), "");

        // then: refused with a wait, Stripe not asked; another organisation's reread goes on
        assertThat(refused.status()).as(refused.raw()).isEqualTo(429);
        assertThat(refused.body().at("/error/code").asText()).isEqualTo("rate_limit_exceeded");
        assertThat(refused.body().at("/error/message").asText()).contains("nothing was read or written");
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 61L);
        assertThat(stack.stripe.requests()).isEqualTo(readsBefore);
        Http.Response elsewhere = api.post("/v1/donations/" + theirs + "/reread-stripe-refunds", Api.admin(), "");
        assertThat(elsewhere.status()).as(elsewhere.raw()).isEqualTo(200);
        assertThat(elsewhere.body().at("/data/outcome").asText()).isEqualTo("refunded 300");
        assertThat(api.balance(busy.generalFund())).isEqualTo(1500);
    }

    @Test
    void aRereadIsRefusedForAPaymentMadeForAnotherOrganisationOrUnknownToStripe() throws Exception {
        // given: organisation A's widget donation, paid and refunded in Stripe; organisation B recording A's payment by
        // hand as a donation of its own; and a payment id Stripe does not have
        Api.Organisation a = api.organisation(Api.admin(), "GBP");
        String widget = paidAndRefundedInStripe(a, 2000, "re_a", 500);
        Api.Organisation b = api.organisation(Api.admin(), "GBP");
        String copied = recordedByHand(b, widget, 2000);
        String unknown = api.ok("/v1/donations", Api.admin(), """
                {"organisation_id": "%s", "fund_id": "%s", "amount": 900, "currency": "GBP",
                 "payment": {"method": "other", "reference": "pi_nobodys%s"}}""".formatted(b.id(), b.generalFund(), widget))
                .get("id").asText();

        // when / then: neither reads anything into B's books
        JsonNode notOurs = api.refused("/v1/donations/" + copied + "/reread-stripe-refunds", Api.admin(), "", 409, "conflict");
        assertThat(notOurs.get("message").asText()).contains("not made for a donation of this organisation");
        JsonNode missing = api.refused("/v1/donations/" + unknown + "/reread-stripe-refunds", Api.admin(), "", 409, "conflict");
        assertThat(missing.get("message").asText()).contains("Stripe has no");
        assertThat(api.balance(b.generalFund())).isEqualTo(2900);
    }

    /**
     * Books {@code total} refunded of a 2,000 donation as the release before 2026-11-29 did from Stripe's running total:
     * one refund without Stripe's refund ids, appended to the donation in a transaction of its own.
     */
    private static void bookedFromTheRunningTotal(Api.Organisation org, String donation, long total) {
        DonationRefundedEvent legacy = new DonationRefundedEvent(donation, org.id(), org.generalFund(), Ids.next("rfd_"),
                total, "GBP", "requested_by_customer", total, Visibility.public_full, null, null, 2000L, null, null, null);
        Repository<?> donations = (Repository<?>) stack.apps().command().getBean("donationRepository");
        new TransactionTemplate(stack.apps().command().getBean(PlatformTransactionManager.class)).executeWithoutResult(status ->
                DefaultUnitOfWork.startAndGet(null).execute(() ->
                        donations.load(donation).execute(aggregate -> AggregateLifecycle.apply(legacy))));
    }

    @Test
    void aRefundUpdateOfAPaymentNoDonationWasRecordedWithIsIgnoredAndOneOfOursIsBookedFromIt() throws Exception {
        // given
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        String donation = paidDonation(org, 2000);
        String payment = "pi_" + donation;

        // when: one of another application's payments on the same Stripe account (never asked of Stripe), and a refund
        // of ours that went through, reported on the refund object before (or instead of) its charge.refunded
        Http.Response foreign = deliver(refundFailed("re_elsewhere" + donation, 900, "pi_elsewhere" + donation));
        stack.stripe.refund(chargeOf(payment), payment, donation, "gbp", "re_fine" + donation, 500, "succeeded", null);
        Http.Response succeeded = deliver("""
                {"id": "evt_%s", "type": "charge.refund.updated", "data": {"object": {"id": "re_fine%s", "object": "refund",
                 "amount": 500, "currency": "gbp", "charge": "%s", "payment_intent": "%s", "status": "succeeded"}}}"""
                .formatted(UUID.randomUUID(), donation, chargeOf(payment), payment));

        // then: the first of no interest; the second booked (until 2026-11-29 it was ignored, left to charge.refunded)
        assertThat(foreign.body().at("/data/outcome").asText()).as(foreign.raw())
                .isEqualTo("ignored: the refund's payment is no donation's");
        assertThat(succeeded.body().at("/data/outcome").asText()).as(succeeded.raw()).isEqualTo("refunded 500");
        assertThat(api.balance(org.generalFund())).isEqualTo(1500);
    }

    @Test
    void aReportReadBeforeARefundFailedAndAppliedAfterItsFailureBooksNothing() throws Exception {
        // given: a refund in Stripe, and a report of it whose read of Stripe's list is answered, and then held
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        String donation = paidDonation(org, 2000);
        String payment = "pi_" + donation;
        stack.stripe.refund(chargeOf(payment), payment, donation, "gbp", "re_x" + donation, 800, "succeeded", null);
        FakeStripe.Held held = stack.stripe.holdNextRefundsList();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Http.Response> early = pool.submit(() -> deliver(chargeRefunded(donation, payment, 800)));
            held.awaitRead();

            // when: the refund fails, its failure is reported and applied, and only then the early report goes on
            stack.stripe.refund(chargeOf(payment), payment, donation, "gbp", "re_x" + donation, 800, "failed",
                    "lost_or_stolen_card");
            Http.Response failure = deliver(refundFailed("re_x" + donation, 800, payment));
            held.release();

            // then: the failure settles the refund, booked and booked back at once, and the early report, which still
            // saw it standing, books nothing (with a running total it booked 800 that had come back)
            assertThat(failure.body().at("/data/outcome").asText()).as(failure.raw())
                    .isEqualTo("booked and booked back 800 that failed before it was booked");
            assertThat(early.get().body().at("/data/outcome").asText()).isEqualTo("nothing new to refund");
        } finally {
            held.release();
            pool.shutdownNow();
        }
        assertThat(api.balance(org.generalFund())).isEqualTo(2000);
        assertThat(api.ledger(org.id(), c -> c.size() == 3)).extracting(LedgerEntry::amount).containsExactly(2000L, -800L, 800L);
    }

    @Test
    void aChargesRefundsAreReadFromStripeEachOnceAndAnOutageIsRetriedWithNothingKept() throws Exception {
        // given: a donation with five refunds in Stripe (three pages as the fake lists them), one of them failed
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        String donation = paidDonation(org, 5000);
        String payment = "pi_" + donation;
        for (int i = 1; i <= 5; i++) {
            stack.stripe.refund(chargeOf(payment), payment, donation, "gbp", "re_" + i + donation, 100 * i,
                    i == 2 ? "failed" : i == 5 ? "requires_action" : "succeeded", i == 2 ? "lost_or_stolen_card" : null);
        }
        String report = chargeRefunded(donation, payment, 1500);

        // when: Stripe's API is down for the first delivery
        stack.stripe.unavailable(true);
        Http.Response down;
        try {
            down = deliver(report);
        } finally {
            stack.stripe.unavailable(false);
        }
        Http.Response again = deliver(report);

        // then: an error, so Stripe delivers it again, and nothing kept; then each refund, whatever the event's own
        // amount_refunded said: the one that failed before it was ever booked is booked and booked back at once, so
        // that a report read before it failed, applied later, cannot book it
        assertThat(down.status()).as(down.raw()).isEqualTo(500);
        assertThat(again.body().at("/data/outcome").asText()).as(again.raw())
                .isEqualTo("refunded 1300, booked and booked back 200 that failed before it was booked");
        assertThat(api.balance(org.generalFund())).isEqualTo(3700);

        // and a refund cancelled in Stripe while it waited for the donor's action is booked back as a failed one is
        stack.stripe.refund(chargeOf(payment), payment, donation, "gbp", "re_5" + donation, 500, "canceled", null);
        Http.Response cancelled = deliver("""
                {"id": "evt_%s", "type": "charge.refund.updated", "data": {"object": {"id": "re_5%s", "object": "refund",
                 "amount": 500, "currency": "gbp", "charge": "%s", "payment_intent": "%s", "status": "canceled"}}}"""
                .formatted(UUID.randomUUID(), donation, chargeOf(payment), payment));
        assertThat(cancelled.body().at("/data/outcome").asText()).as(cancelled.raw()).isEqualTo("booked back 500");
        assertThat(api.balance(org.generalFund())).isEqualTo(4200);
        List<LedgerEntry> chain = api.ledger(org.id(), c -> c.size() == 8);
        assertThat(chain.get(7).type()).isEqualTo("refund_reversed");
        assertThat(chain.get(7).metadata().get("reason").asText()).isEqualTo("refund_canceled");
    }

    @Test
    void aPaymentWhoseFeeStripeHasNotSettledIsDeliveredAgainAndThenCompletedWithIt() throws Exception {
        // given: a payment whose charge has no balance transaction yet, and then Stripe's API unavailable
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        String donation = pendingDonation(org, 5000);
        String event = "evt_" + UUID.randomUUID();
        stack.stripe.unsettled("ch_" + donation, 5000, "gbp");

        // when
        Http.Response unsettled = deliver(paymentSucceeded(event, donation, 5000));
        stack.stripe.settled("ch_" + donation, 5000, "gbp", 175);
        stack.stripe.unavailable(true);
        Http.Response unavailable;
        try {
            unavailable = deliver(paymentSucceeded(event, donation, 5000));
        } finally {
            stack.stripe.unavailable(false);
        }
        Http.Response settled = deliver(paymentSucceeded(event, donation, 5000));

        // then: nothing was kept of the first two deliveries, and the third records the fee
        assertThat(unsettled.status()).isEqualTo(409);
        assertThat(unavailable.status()).isEqualTo(500);
        assertThat(settled.body().get("data").get("outcome").asText()).isEqualTo("completed");
        assertThat(api.balance(org.generalFund())).isEqualTo(5000 - 175);
        assertThat(api.ledger(org.id(), c -> c.size() == 2)).extracting(LedgerEntry::amount).containsExactly(5000L, -175L);
    }

    @Test
    void aFeeSettledInAnotherCurrencyIsBookedInTheDonationsAtTheTransactionsRate() throws Exception {
        // given: a GBP payment on an account that settles in euros at 1.17 euros to the pound, fee 2.00 euros
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        String donation = pendingDonation(org, 5000);
        stack.stripe.settled("ch_" + donation, 5000, "gbp", 200, "eur", "1.17");

        // when
        deliver(paymentSucceeded("evt_" + UUID.randomUUID(), donation, 5000));

        // then: 200 / 1.17 = 170.94 pence
        assertThat(api.balance(org.generalFund())).isEqualTo(5000 - 171);
    }

    @Test
    void aPaymentThatFailedAndThenWentThroughCompletesTheDonation() throws Exception {
        // given: the donor's first card was declined
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        String donation = pendingDonation(org, 2500);
        deliver(failed(donation));

        // when: the donor pays with another card on the same payment
        Http.Response response = deliver(succeeded("evt_" + UUID.randomUUID(), donation, 2500, 0));

        // then
        assertThat(response.body().get("data").get("outcome").asText()).isEqualTo("completed");
        assertThat(api.get("/v1/donations/" + donation, Api.admin()).body().get("data").get("status").asText())
                .isEqualTo("completed");
        assertThat(api.balance(org.generalFund())).isEqualTo(2500);
        assertThat(api.ledger(org.id(), c -> c.size() == 1)).extracting(LedgerEntry::amount).containsExactly(2500L);
    }

    @Test
    void aFailureReportedAfterThePaymentWentThroughIsAcknowledgedAndChangesNothing() throws Exception {
        // given
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        String donation = pendingDonation(org, 2500);
        deliver(succeeded("evt_" + UUID.randomUUID(), donation, 2500, 0));

        // when
        Http.Response response = deliver(failed(donation));

        // then
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().get("data").get("outcome").asText()).startsWith("not applied: ");
        assertThat(api.balance(org.generalFund())).isEqualTo(2500);
    }

    @Test
    void aRefundDeliveredBeforeThePaymentsSuccessIsRefusedUntilTheDonationIsCompleted() throws Exception {
        // given: Stripe delivers the refund first (the success's first delivery failed, say)
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        String donation = pendingDonation(org, 3000);
        String refund = refunded(donation, 1000);

        // when: it arrives while the donation is pending, again after a first card was declined, and once more
        // after the second card's success
        Http.Response early = deliver(refund);
        deliver(failed(donation));
        Http.Response afterTheDecline = deliver(refund);
        deliver(succeeded("evt_" + UUID.randomUUID(), donation, 3000, 0));
        Http.Response again = deliver(refund);

        // then: the early deliveries kept nothing, so Stripe's retry applies it
        assertThat(early.status()).isEqualTo(409);
        assertThat(afterTheDecline.status()).isEqualTo(409);
        assertThat(again.body().get("data").get("outcome").asText()).isEqualTo("refunded 1000");
        assertThat(api.balance(org.generalFund())).isEqualTo(2000);
    }

    @Test
    void twoRefundsOfOneChargeDeliveredTogetherRefundStripesRunningTotalOnce() throws Exception {
        // given: a completed donation whose row is held, so that both refunds arrive while it is
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        String donation = pendingDonation(org, 4000);
        deliver(succeeded("evt_" + UUID.randomUUID(), donation, 4000, 0));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Connection hold = stack.superuser()) {
            hold.setAutoCommit(false);
            try (Statement statement = hold.createStatement()) {
                statement.execute("SELECT 1 FROM donations WHERE id = '" + donation + "' FOR UPDATE");
            }
            String first = refunded(donation, 1000);
            String second = refunded(donation, 2500);
            List<Future<Http.Response>> deliveries = List.of(pool.submit(() -> deliver(first)), pool.submit(() -> deliver(second)));
            // both wait for the donation's row, one behind the other, which the first then holds to its commit
            await().atMost(Duration.ofSeconds(30)).until(() -> lockWaits() == 2);

            // when
            hold.commit();

            // then: Stripe refunded 2,500 in all, and so does the ledger, whichever came first
            for (Future<Http.Response> delivery : deliveries) {
                assertThat(delivery.get().status()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(api.balance(org.generalFund())).isEqualTo(1500);
        assertThat(api.ledger(org.id(), c -> c.stream().mapToLong(LedgerEntry::amount).sum() == 1500))
                .filteredOn(e -> e.type().equals("donation_refunded")).extracting(LedgerEntry::amount)
                .containsAnyOf(-2500L, -1500L);
    }

    @Test
    void aRefundOfAnotherPaymentArrivingWhileTheSuccessCommitsWaitsForItAndIsNotApplied() throws Exception {
        // given: a donation whose success is on its way (its row held, so the success waits there)
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        String donation = pendingDonation(org, 5000);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Http.Response duringTheSuccess;
        try (Connection hold = stack.superuser()) {
            hold.setAutoCommit(false);
            try (Statement statement = hold.createStatement()) {
                statement.execute("SELECT 1 FROM donations WHERE id = '" + donation + "' FOR UPDATE");
            }
            Future<Http.Response> success = pool.submit(() -> deliver(succeeded("evt_" + UUID.randomUUID(), donation, 5000, 0)));
            await().atMost(Duration.ofSeconds(30)).until(() -> lockWaits() == 1);

            // when: the refund of a second payment for it (a widget's retry) arrives meanwhile
            Future<Http.Response> duplicate = pool.submit(() -> deliver(refunded(donation, "pi_duplicate" + donation, 5000)));
            // (it waits for the donation's row behind the success; until 2026-11-29 it read the donation without
            // waiting, found it pending and was refused, for Stripe to deliver it again)
            await().atMost(Duration.ofSeconds(30)).until(() -> duplicate.isDone() || lockWaits() == 2);
            hold.commit();
            assertThat(success.get().status()).isEqualTo(200);
            duringTheSuccess = duplicate.get();
        } finally {
            pool.shutdownNow();
        }

        // then: checked against the payment that completed the donation, it is not applied and refunds nothing
        assertThat(duringTheSuccess.status()).as(duringTheSuccess.raw()).isEqualTo(200);
        assertThat(duringTheSuccess.body().at("/data/outcome").asText()).as(duringTheSuccess.raw()).startsWith("not applied");
        assertThat(api.get("/v1/donations/" + donation, Api.admin()).body().at("/data/refunded_amount").asLong()).isZero();
        assertThat(api.balance(org.generalFund())).isEqualTo(5000);
    }

    private static long lockWaits() throws Exception {
        return api.count("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()");
    }

    @Test
    void aPaymentForASuspendedOrganisationIsBookedButNoBusinessMatchesIt() throws Exception {
        // given: a 1:1 matching programme for the organisation, a donation pledged, then the organisation suspended
        Api.Organisation org = matchedOneToOne("Suspended Match Ltd");
        String donation = pendingDonation(org, 1500);
        api.ok("/v1/organisations/" + org.id() + "/suspend", Api.admin(), "{\"reason\": \"under review\"}");

        // when: the card payment goes through afterwards
        Http.Response response = deliver(succeeded("evt_" + UUID.randomUUID(), donation, 1500, 0));

        // then: the money that moved is booked; no business money follows it into a suspended organisation
        assertThat(response.body().get("data").get("outcome").asText()).isEqualTo("completed");
        assertThat(api.balance(org.generalFund())).isEqualTo(1500);
    }

    @Test
    void aPaymentReportedWhileItsOrganisationIsBeingSuspendedWaitsForTheSuspensionAndNoBusinessMatchesIt() throws Exception {
        // given: a 1:1 matching programme for the organisation, a donation pledged, and the organisation's suspension
        // under way: its gate closed and its status written, not yet committed (as SuspendOrganisation holds them)
        Api.Organisation org = matchedOneToOne("Racing Match Ltd");
        String donation = pendingDonation(org, 1500);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<Http.Response> reported;
        try (Connection suspension = stack.app(); java.sql.PreparedStatement close = suspension.prepareStatement(
                "SELECT pg_advisory_xact_lock(x'414D4754'::int, hashtext(?))"); // OrganisationGate.CLOSE
             java.sql.PreparedStatement suspend = suspension.prepareStatement(
                     "UPDATE organisations SET status = 'suspended' WHERE id = ?")) {
            suspension.setAutoCommit(false);
            Tenants.setOrganisation(suspension, org.id());
            close.setString(1, org.id());
            close.executeQuery().close();
            suspend.setString(1, org.id());
            assertThat(suspend.executeUpdate()).isOne();

            // when: the card payment is reported meanwhile
            reported = pool.submit(() -> deliver(succeeded("evt_" + UUID.randomUUID(), donation, 1500, 0)));

            // then: it waits at the organisation's gate, as every money movement does (until 2026-11-29 it read the
            // organisation as active, offered the donation to the programme, and the business's match was recorded
            // for an organisation suspended a moment later)
            await().atMost(Duration.ofSeconds(30)).until(() -> api.count("""
                    SELECT count(*) FROM pg_stat_activity
                     WHERE wait_event_type = 'Lock' AND query LIKE '%pg_advisory_xact_lock_shared(%'""") == 1);
            suspension.commit();
        }
        try {
            // and once the suspension is in, the money that moved is booked, and no business money follows it
            Http.Response response = reported.get(1, java.util.concurrent.TimeUnit.MINUTES);
            assertThat(response.body().at("/data/outcome").asText()).as(response.raw()).isEqualTo("completed");
            assertThat(api.balance(org.generalFund())).isEqualTo(1500);
        } finally {
            pool.shutdownNow();
        }
    }

    /** A new organisation whose donations a verified business matches 1:1 (accepted, up to 1,000.00 GBP). */
    private static Api.Organisation matchedOneToOne(String businessName) {
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        String business = api.ok("/v1/businesses", Api.admin(), "{\"name\": \"" + businessName + "\", \"country\": \"GB\"}")
                .get("id").asText();
        api.ok("/v1/businesses/" + business + "/verify", Api.admin(), "");
        api.acceptedProgramme(business, Api.admin(), """
                {"organisation_id": "%s", "ratio_percent": 100, "cap_amount": 100000, "currency": "GBP"}""".formatted(org.id()));
        return org;
    }

    @Test
    void aPaymentThatNamesNoDonationIsAcknowledgedAndIgnored() throws Exception {
        // when: a payment of the same Stripe account that Amply did not create
        Http.Response response = deliver("""
                {"id": "evt_%s", "type": "payment_intent.succeeded", "data": {"object": {"id": "pi_other",
                 "amount_received": 1200, "currency": "gbp", "metadata": {}}}}""".formatted(UUID.randomUUID()));

        // then: not an error Stripe would retry for days
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().get("data").get("outcome").asText()).isEqualTo("ignored: the payment names no donation");
    }

    private static String failed(String donation) {
        return """
                {"id": "evt_%s", "type": "payment_intent.payment_failed", "data": {"object": {"id": "pi_x",
                 "metadata": {"donation_id": "%s"}, "last_payment_error": {"code": "card_declined"}}}}"""
                .formatted(UUID.randomUUID(), donation);
    }

    /** A refund of the charge that paid the donation (its payment intent, as {@link #paymentSucceeded} names it). */
    private static String refunded(String donation, long cumulative) {
        return refunded(donation, "pi_" + donation, cumulative);
    }

    /**
     * Stripe's {@code charge.refunded} as it sends it, its charge's refunds coming to {@code cumulative} (a refund of
     * the difference made in Stripe first, if any), the charge being {@code ch_…} of the payment intent's {@code pi_…}.
     */
    private static String refunded(String donation, String paymentIntent, long cumulative) {
        String charge = chargeOf(paymentIntent);
        long more = cumulative - stack.stripe.standing(charge);
        if (more > 0) {
            stack.stripe.refund(charge, paymentIntent, donation, "gbp", "re_" + UUID.randomUUID(), more, "succeeded", null);
        }
        return chargeRefunded(donation, paymentIntent, cumulative);
    }

    /** The event alone, as Stripe sent it at some moment: its {@code amount_refunded} is what the charge had then. */
    private static String chargeRefunded(String donation, String paymentIntent, long amountRefunded) {
        return """
                {"id": "evt_%s", "type": "charge.refunded", "data": {"object": {"id": "%s", "amount_refunded": %d,
                 "currency": "gbp", "payment_intent": "%s", "metadata": {"donation_id": "%s"},
                 "refunds": {"data": [{"reason": "requested_by_customer"}]}}}}"""
                .formatted(UUID.randomUUID(), chargeOf(paymentIntent), amountRefunded, paymentIntent, donation);
    }

    private static String chargeOf(String paymentIntent) {
        return "ch_" + paymentIntent.substring("pi_".length());
    }

    /** Stripe's report that a refund failed, on the refund object, which names its charge and payment but no donation. */
    private static String refundFailed(String refundId, long amount, String paymentIntent) {
        return """
                {"id": "evt_%s", "type": "charge.refund.updated", "data": {"object": {"id": "%s", "object": "refund",
                 "amount": %d, "currency": "gbp", "charge": "%s", "payment_intent": "%s", "status": "failed",
                 "failure_reason": "expired_or_canceled_card", "metadata": {}}}}"""
                .formatted(UUID.randomUUID(), refundId, amount, chargeOf(paymentIntent), paymentIntent);
    }

    @Test
    void aRefundOfAnotherChargeNamingTheDonationIsAcknowledgedAndRefundsNothing() throws Exception {
        // given: a donation paid by one payment intent, and a second payment for it (a widget's retry)
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        String donation = pendingDonation(org, 5000);
        deliver(succeeded("evt_" + UUID.randomUUID(), donation, 5000, 0));

        // when: the duplicate is refunded in Stripe's dashboard
        Http.Response response = deliver(refunded(donation, "pi_duplicate" + donation, 5000));

        // then: acknowledged, so Stripe stops sending it, and the donation, its fund and its ledger untouched
        assertThat(response.status()).as(response.raw()).isEqualTo(200);
        assertThat(response.body().at("/data/outcome").asText()).startsWith("not applied").contains("pi_duplicate");
        assertThat(api.get("/v1/donations/" + donation, Api.admin()).body().at("/data/refunded_amount").asLong()).isZero();
        assertThat(api.balance(org.generalFund())).isEqualTo(5000);
        // and the refund of the charge that paid it still refunds it
        deliver(refunded(donation, 5000));
        assertThat(api.balance(org.generalFund())).isZero();
    }

    @Test
    void refundsBeyondWhatTheDonationReceivedAreAcknowledgedAsNotAppliedAndRefundNothing() throws Exception {
        // given: a widget's payment of 1,000 that a finance user recorded by hand as a donation of 600
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        String widget = pendingDonation(org, 1000);
        String byHand = recordedByHand(org, widget, 600);

        // when: Stripe refunds 800 of the payment
        Http.Response response = deliver(refunded(widget, "pi_" + widget, 800));

        // then: recorded and counted for someone to look at (until 2026-11-29 refused, for Stripe to send for days)
        assertThat(response.status()).as(response.raw()).isEqualTo(200);
        assertThat(response.body().at("/data/outcome").asText()).startsWith("not applied").contains("800").contains(byHand);
        assertThat(api.balance(org.generalFund())).isEqualTo(600);
    }

    @Test
    void aStripeRefundOfADonationReceivedByBankTransferIsAcknowledgedAndRefundsNothing() throws Exception {
        // given: a donation a finance user recorded as received by bank transfer
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        String donation = pendingDonation(org, 3000);
        api.ok("/v1/donations/" + donation + "/complete", Api.admin(), "{\"method\": \"bank_transfer\", \"reference\": \"BACS 31\"}");

        // when: a stray card charge naming it is refunded
        Http.Response response = deliver(refunded(donation, "pi_stray" + donation, 3000));

        // then
        assertThat(response.status()).as(response.raw()).isEqualTo(200);
        assertThat(response.body().at("/data/outcome").asText()).startsWith("not applied");
        assertThat(api.balance(org.generalFund())).isEqualTo(3000);
    }

    @Test
    void anEventNamingADonationAmplyDoesNotHaveIsAcknowledgedAndIgnored() throws Exception {
        // when: another environment's payments on the same Stripe account
        for (String unknown : List.of("don_0000000000000000", "12345")) {
            Http.Response succeeded = deliver(paymentSucceeded("evt_" + UUID.randomUUID(), unknown, 1200));
            Http.Response refunded = deliver(refunded(unknown, 1200));

            // then: not an error Stripe would retry for days
            assertThat(succeeded.status()).as(succeeded.raw()).isEqualTo(200);
            assertThat(succeeded.body().at("/data/outcome").asText()).isEqualTo("ignored: no donation " + unknown);
            assertThat(refunded.status()).as(refunded.raw()).isEqualTo(200);
            assertThat(refunded.body().at("/data/outcome").asText()).isEqualTo("ignored: no donation " + unknown);
        }
    }

    @Test
    void aBadlySignedOrStaleDeliveryIsRefusedAndChangesNothing() throws Exception {
        // given
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        String donation = pendingDonation(org, 5000);
        String eventId = "evt_" + UUID.randomUUID();
        String payload = succeeded(eventId, donation, 5000, 0);
        long now = Instant.now().getEpochSecond();
        long stale = now - 301;
        String secret = TestStack.SECRETS.stripeWebhookSecret();

        // when / then: another secret, too old, a body other than the one signed, no signature: each refused in the API's
        // error format, naming the header
        for (Http.Response refused : List.of(
                deliver(payload, "t=" + now + ",v1=" + sign("whsec_wrong", now, payload)),
                deliver(payload, "t=" + stale + ",v1=" + sign(secret, stale, payload)),
                deliver(payload.replace("5000", "50000"), "t=" + now + ",v1=" + sign(secret, now, payload)),
                deliver(payload, ""))) {
            assertThat(refused.status()).as(refused.raw()).isEqualTo(400);
            assertThat(refused.body().at("/error/code").asText()).isEqualTo("invalid_request");
            assertThat(refused.body().at("/error/param").asText()).isEqualTo("Stripe-Signature");
        }
        // and a correctly signed body that is not JSON
        Http.Response notJson = deliver("not json", "t=" + now + ",v1=" + sign(secret, now, "not json"));
        assertThat(notJson.status()).as(notJson.raw()).isEqualTo(400);
        assertThat(notJson.body().at("/error/code").asText()).isEqualTo("invalid_request");

        // then: nothing changed, and the event was not taken as seen: its genuine delivery is applied, not a duplicate
        assertThat(api.get("/v1/donations/" + donation, Api.admin()).body().get("data").get("status").asText()).isEqualTo("pending");
        assertThat(api.count("SELECT count(*) FROM stripe_events_processed WHERE event_id = ?", eventId)).isZero();
        Http.Response genuine = deliver(payload);
        assertThat(genuine.status()).as(genuine.raw()).isEqualTo(200);
        assertThat(genuine.body().at("/data/outcome").asText()).isEqualTo("completed");
    }
}
