package io.amply.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The public directory's totals add up every amount an organisation ever received, without bound. */
class OrganisationTotalsIT {

    private static TestStack stack;
    private static Api api;

    @BeforeAll
    static void start() {
        stack = TestStack.get();
        api = new Api(stack);
    }

    @Test
    void anOrganisationsTotalsGoOnCountingPastWhatABigintHoldsAndTheDirectoryKeepsUp() throws Exception {
        // given: an organisation whose total received is 10 short of 2^63 - 1, set in the read model (through the
        // API that takes over a thousand donations of the largest amount, 2^53 - 1, each spent before the next)
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        api.receive(Api.admin(), org.id(), org.generalFund(), 100, "GBP", 0);
        awaitReceived(org.id(), BigInteger.valueOf(100));
        BigInteger nearlyFull = BigInteger.valueOf(Long.MAX_VALUE).subtract(BigInteger.TEN);
        api.superuser("UPDATE organisation_totals SET received_amount = " + nearlyFull + " WHERE organisation_id = '" + org.id() + "'");

        // when: 25 more arrive, and another organisation's donation after them
        api.receive(Api.admin(), org.id(), org.generalFund(), 25, "GBP", 0);
        Api.Organisation other = api.organisation(Api.admin(), "GBP");
        api.receive(Api.admin(), other.id(), other.generalFund(), 40, "GBP", 0);

        // then: counted exactly past 2^63 - 1, and the directory went on to the other organisation
        awaitReceived(org.id(), nearlyFull.add(BigInteger.valueOf(25)));
        awaitReceived(other.id(), BigInteger.valueOf(40));
        JsonNode platform = Http.get(stack.apps().queryUrl() + "/v1/public/stats", null).body().get("data");
        JsonNode gbp = null;
        for (JsonNode totals : platform.get("totals")) {
            if (totals.get("currency").asText().equals("GBP")) {
                gbp = totals;
            }
        }
        assertThat(gbp).isNotNull();
        assertThat(gbp.get("received_amount").bigIntegerValue()).isGreaterThan(BigInteger.valueOf(Long.MAX_VALUE));
    }

    private static void awaitReceived(String organisationId, BigInteger expected) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            Http.Response page = Http.get(stack.apps().queryUrl() + "/v1/public/organisations/" + organisationId, null);
            assertThat(page.status()).as(page.raw()).isEqualTo(200);
            JsonNode totals = page.body().at("/data/stats/totals");
            assertThat(totals).hasSize(1);
            assertThat(totals.get(0).get("received_amount").bigIntegerValue()).isEqualTo(expected);
            assertThat(page.raw()).contains("\"received_amount\":" + expected);
        });
    }
}
