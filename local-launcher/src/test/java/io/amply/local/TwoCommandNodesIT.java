package io.amply.local;

import io.amply.command.CommandSideApplication;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two command nodes on one database, as behind a load balancer: each keeps its own aggregate cache,
 * so one node's copy of a fund goes stale when the other records money for it.
 */
class TwoCommandNodesIT {

    private final TestStack stack = TestStack.get();
    private final Api api = new Api(stack);

    @Test
    void aNodeWhoseCopyOfAFundIsStaleRefusesOnceAndThenDecidesOnTheStoredEvents() throws Exception {
        // given: a fund holding 1,000 that the first node keeps in its cache, and a second node that receives 500 more
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        api.receive(Api.admin(), org.id(), org.generalFund(), 1000, "GBP", 0);
        int port = TestStack.freePort();
        try (ConfigurableApplicationContext second = CommandSideApplication.application().registerShutdownHook(false)
                .run(AmplyLocal.concat(AmplyLocal.sideArguments(port, TestStack.freePort(), stack.postgres, stack.kafka,
                        TestStack.SECRETS), stack.stripe.arguments()))) {
            Http.Response received = Http.post("http://localhost:" + port + "/v1/donations", Api.admin(), """
                    {"organisation_id": "%s", "fund_id": "%s", "amount": 500, "currency": "GBP",
                     "payment": {"method": "bank_transfer", "reference": "BACS second node"}}""".formatted(org.id(), org.generalFund()),
                    Map.of());
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
            Http.Response more = Http.post("http://localhost:" + port + "/v1/donations", Api.admin(), """
                    {"organisation_id": "%s", "fund_id": "%s", "amount": 500, "currency": "GBP",
                     "payment": {"method": "bank_transfer", "reference": "BACS second node again"}}""".formatted(org.id(), org.generalFund()),
                    Map.of());
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
    }
}
