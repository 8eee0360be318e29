package io.amply.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.amply.ledger.hash.LedgerEntry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The funds read model, served from the replica, reconciles with the ledger after a mixed workload. */
class FundBalancesIT {

    @Test
    void everyFundsBalanceEqualsTheSumOfItsLedgerEntries() {
        // given: donations with fees, a refund, an expense, transfers within and out of the organisation, a correction
        TestStack stack = TestStack.get();
        Api api = new Api(stack);
        Api.Organisation org = api.organisation(Api.admin(), "EUR");
        Api.Organisation partner = api.organisation(Api.admin(), "EUR");
        String project = api.ok("/v1/organisations/" + org.id() + "/funds", Api.admin(),
                "{\"name\": \"Wells\", \"type\": \"project\", \"currency\": \"EUR\"}").get("id").asText();
        String first = api.receive(Api.admin(), org.id(), org.generalFund(), 10_000, "EUR", 250).get("id").asText();
        api.receive(Api.admin(), org.id(), org.generalFund(), 4_000, "EUR", 0);
        api.ok("/v1/donations/" + first + "/refund", Api.admin(), "{\"amount\": 1000, \"reason\": \"asked\"}");
        api.ok("/v1/expenses", Api.admin(), """
                {"organisation_id": "%s", "fund_id": "%s", "amount": 2500, "currency": "EUR", "category": "programs",
                 "recipient_type": "supplier"}""".formatted(org.id(), org.generalFund()));
        api.ok("/v1/transfers", Api.admin(), """
                {"organisation_id": "%s", "from_fund_id": "%s", "to_fund_id": "%s", "amount": 3000, "currency": "EUR"}"""
                .formatted(org.id(), org.generalFund(), project));
        api.ok("/v1/transfers", Api.admin(), """
                {"organisation_id": "%s", "from_fund_id": "%s", "to_organisation_id": "%s", "to_fund_id": "%s",
                 "amount": 500, "currency": "EUR"}""".formatted(org.id(), project, partner.id(), partner.generalFund()));
        String entry = api.ledger(org.id(), c -> c.size() >= 5).stream().filter(e -> e.type().equals("expense")).findFirst()
                .orElseThrow().id();
        api.ok("/v1/corrections", Api.admin(), """
                {"organisation_id": "%s", "fund_id": "%s", "kind": "adjustment", "corrects_entry_id": "%s",
                 "amount": -100, "currency": "EUR", "reason": "the supplier's bank charge, booked late"}""".formatted(org.id(), org.generalFund(), entry));

        // when: the ledger is complete and the replica has the read model
        java.util.List<LedgerEntry> chain = api.ledger(org.id(), c -> c.size() == 9);
        Map<String, Long> ledgerSums = new HashMap<>();
        chain.forEach(e -> ledgerSums.merge(e.metadata().get("fund_id").asText(), e.amount(), Long::sum));
        JsonNode funds = await().atMost(Duration.ofSeconds(60)).until(
                () -> Http.get(stack.apps().queryUrl() + "/v1/public/organisations/" + org.id() + "/funds", null).body(),
                body -> fundBalances(body).equals(ledgerSums));

        // then
        assertThat(funds.get("meta").get("served_from").asText()).isEqualTo("replica");
        assertThat(fundBalances(funds)).isEqualTo(ledgerSums);
        assertThat(ledgerSums.get(org.generalFund())).isEqualTo(10_000 - 250 + 4_000 - 1_000 - 2_500 - 3_000 - 100);
        assertThat(ledgerSums.get(project)).isEqualTo(3_000 - 500);
        for (JsonNode fund : funds.get("data")) {
            assertThat(fund.get("balance").asLong()).isEqualTo(api.balance(fund.get("id").asText()));
            assertThat(fund.get("incoming").asLong() - fund.get("outgoing").asLong()).isEqualTo(fund.get("balance").asLong());
        }
    }

    private static Map<String, Long> fundBalances(JsonNode body) {
        Map<String, Long> balances = new HashMap<>();
        for (JsonNode fund : body.get("data")) {
            if (fund.get("balance").asLong() != 0 || fund.get("incoming").asLong() != 0) {
                balances.put(fund.get("id").asText(), fund.get("balance").asLong());
            }
        }
        return balances;
    }
}
