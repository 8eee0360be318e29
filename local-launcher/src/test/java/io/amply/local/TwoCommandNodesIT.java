package io.amply.local;

import io.amply.command.CommandSideApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two command nodes on one database, as behind a load balancer: each keeps its own aggregate cache,
 * so one node's copy of a fund or a business goes stale when the other changes it.
 */
class TwoCommandNodesIT {

    private static TestStack stack;
    private static Api api;
    private static ConfigurableApplicationContext second;
    private static String secondUrl;

    @BeforeAll
    static void startSecondNode() {
        stack = TestStack.get();
        api = new Api(stack);
        int port = TestStack.freePort();
        second = CommandSideApplication.application().registerShutdownHook(false)
                .run(AmplyLocal.concat(AmplyLocal.sideArguments(port, TestStack.freePort(), stack.postgres, stack.kafka,
                        TestStack.SECRETS), stack.stripe.arguments()));
        secondUrl = "http://localhost:" + port;
    }

    @AfterAll
    static void stopSecondNode() {
        second.close();
    }

    @Test
    void aNodeWhoseCopyOfAFundIsStaleRefusesOnceAndThenDecidesOnTheStoredEvents() {
        // given: a fund holding 1,000 that the first node keeps in its cache, and a second node that receives 500 more
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        api.receive(Api.admin(), org.id(), org.generalFund(), 1000, "GBP", 0);
        Http.Response received = onSecond("/v1/donations", received(org, 500, "BACS second node"));
        assertThat(received.status()).as(received.raw()).isEqualTo(201);

        // when: the first node is asked to spend 1,200, twice
        String expense = """
                {"organisation_id": "%s", "fund_id": "%s", "amount": 1200, "currency": "GBP", "category": "programs",
                 "recipient_type": "supplier"}""".formatted(org.id(), org.generalFund());
        Http.Response first = api.post("/v1/expenses", Api.admin(), expense);
        Http.Response again = api.post("/v1/expenses", Api.admin(), expense);

        // then: its stale copy (1,000) refused once and was forgotten; the stored events (1,500) decided the retry
        assertThat(first.status()).as(first.raw()).isEqualTo(409);
        assertThat(again.status()).as(again.raw()).isEqualTo(201);
        assertThat(api.balance(org.generalFund())).isEqualTo(300);

        // when: the second node, whose copy is now stale too, records 500 more, and the first node, stale once
        // more, is asked to spend 100 (which its copy of 300 allows), twice
        Http.Response more = onSecond("/v1/donations", received(org, 500, "BACS second node again"));
        String small = expense.replace("1200", "100");
        Http.Response accepted = api.post("/v1/expenses", Api.admin(), small);
        Http.Response retried = api.post("/v1/expenses", Api.admin(), small);

        // then: the donation's batch was tried again on the stored events; the expense's events collided with
        // the stored ones, nothing was written and it was answered as retryable; sent again, it was recorded
        assertThat(more.status()).as(more.raw()).isEqualTo(201);
        assertThat(accepted.status()).as(accepted.raw()).isEqualTo(429);
        assertThat(accepted.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(retried.status()).as(retried.raw()).isEqualTo(201);
        assertThat(api.balance(org.generalFund())).isEqualTo(700);
    }

    @Test
    void aDonationMatchedByAProgrammeTheOtherNodeStartedIsRecordedWithItsMatch() {
        // given: a business whose 1:1 programme for one organisation the second node has matched (so it keeps the
        // business in its cache), and a second programme, for another organisation, started on the first node
        String business = api.verifiedBusiness("Two Nodes Ltd");
        Api.Organisation first = api.organisation(Api.admin(), "GBP");
        Api.Organisation later = api.organisation(Api.admin(), "GBP");
        api.acceptedProgramme(business, Api.admin(), programme(first));
        assertThat(onSecond("/v1/donations", received(first, 300, "BACS matched")).status()).isEqualTo(201);
        assertThat(api.balance(first.generalFund())).isEqualTo(600);
        // (the first node's copy of the business missed that match: its new programme's event collides, and is sent again)
        Http.Response stale = api.post("/v1/businesses/" + business + "/matching-programmes", Api.admin(), programme(later));
        assertThat(stale.status()).as(stale.raw()).isEqualTo(429);
        String laterProgramme = api.ok("/v1/businesses/" + business + "/matching-programmes", Api.admin(), programme(later))
                .get("id").asText();
        api.ok("/v1/matching-programmes/" + laterProgramme + "/accept", Api.admin(), "");

        // when: the second node, whose copy of the business knows only the first programme, records a donation the
        // second programme covers
        Http.Response donation = onSecond("/v1/donations", received(later, 400, "BACS matched later"));

        // then: recorded and matched (the stale copy's refusal rolled the batch back; tried again, on the stored events)
        assertThat(donation.status()).as(donation.raw()).isEqualTo(201);
        assertThat(api.balance(later.generalFund())).isEqualTo(800);
    }

    @Test
    void aNodeWhoseCopyStillHasAProgrammeProposedAfterTheOtherAcceptedItMatchesOnTheStoredEvents() {
        // given: a programme proposed on the first node, and the second node keeping the business in its cache with
        // that programme proposed (it proposed another one to another organisation)
        String business = api.verifiedBusiness("Consent Nodes Ltd");
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        Api.Organisation elsewhere = api.organisation(Api.admin(), "GBP");
        String programme = api.ok("/v1/businesses/" + business + "/matching-programmes", Api.admin(), programme(org))
                .get("id").asText();
        Http.Response other = onSecond("/v1/businesses/" + business + "/matching-programmes", programme(elsewhere));
        assertThat(other.status()).as(other.raw()).isEqualTo(201);
        // (the first node's copy missed that proposal: its acceptance collides once, and is sent again)
        Http.Response stale = api.post("/v1/matching-programmes/" + programme + "/accept", Api.admin(), "");
        assertThat(stale.status()).as(stale.raw()).isEqualTo(429);
        assertThat(api.ok("/v1/matching-programmes/" + programme + "/accept", Api.admin(), "").get("status").asText())
                .isEqualTo("active");

        // when: the second node records a donation the accepted programme covers
        Http.Response donation = onSecond("/v1/donations", received(org, 250, "BACS consent"));

        // then: recorded and matched (its copy's "proposed" rolled the batch back; tried again on the stored events)
        assertThat(donation.status()).as(donation.raw()).isEqualTo(201);
        assertThat(api.balance(org.generalFund())).isEqualTo(500);
    }

    private static Http.Response onSecond(String path, String body) {
        return Http.post(secondUrl + path, Api.admin(), body, Map.of());
    }

    private static String received(Api.Organisation org, long amount, String reference) {
        return """
                {"organisation_id": "%s", "fund_id": "%s", "amount": %d, "currency": "GBP",
                 "payment": {"method": "bank_transfer", "reference": "%s"}}""".formatted(org.id(), org.generalFund(), amount,
                reference);
    }

    private static String programme(Api.Organisation org) {
        return """
                {"organisation_id": "%s", "ratio_percent": 100, "cap_amount": 100000, "currency": "GBP"}""".formatted(org.id());
    }
}
