package io.amply.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.amply.ledger.hash.LedgerEntry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class ConcurrentDonationsIT {

    @Test
    void fiftyParallelDonationsToOneFundAndOneCampaignGiveExactTotals() throws Exception {
        // given: an active campaign on the General Fund whose goal the fiftieth donation can reach, no sooner
        Api api = new Api(TestStack.get());
        Api.Organisation org = api.organisation(Api.admin(), "EUR");
        long gross = 100L * 50 * 51 / 2; // Σ 100·i for i = 1..50
        String campaign = api.ok("/v1/organisations/" + org.id() + "/campaigns", Api.admin(), """
                {"fund_id": "%s", "name": "Winter appeal", "goal_amount": %d, "currency": "EUR"}"""
                .formatted(org.generalFund(), gross)).get("id").asText();
        api.ok("/v1/campaigns/" + campaign + "/activate", Api.admin(), "");
        ExecutorService pool = Executors.newFixedThreadPool(16);

        // when
        List<Future<?>> sent = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            long amount = 100L * i;
            sent.add(pool.submit(() -> api.ok("/v1/donations", Api.admin(), """
                    {"organisation_id": "%s", "fund_id": "%s", "campaign_id": "%s", "amount": %d, "currency": "EUR",
                     "payment": {"method": "bank_transfer", "reference": "BACS %d", "fee_amount": 1, "fee_charged_by": "bank"}}"""
                    .formatted(org.id(), org.generalFund(), campaign, amount, amount))));
        }
        for (Future<?> future : sent) {
            future.get();
        }
        pool.shutdown();

        // then: the fund holds the gross less 50 fees of 1, the campaign counts the gross of 50 donors
        assertThat(api.balance(org.generalFund())).isEqualTo(gross - 50);
        JsonNode progress = api.get("/v1/campaigns/" + campaign, Api.admin()).body().get("data");
        assertThat(progress.get("raised_amount").asLong()).isEqualTo(gross);
        assertThat(progress.get("donor_count").asInt()).isEqualTo(50);
        assertThat(progress.get("goal_reached").asBoolean()).isTrue();
        List<LedgerEntry> chain = api.ledger(org.id(), c -> c.size() == 100);
        assertThat(chain.stream().mapToLong(LedgerEntry::amount).sum()).isEqualTo(gross - 50);
        assertThat(chain.stream().filter(e -> e.type().equals("donation_received"))
                .map(e -> e.metadata().get("campaign_id").asText()).distinct()).containsExactly(campaign);
    }
}
