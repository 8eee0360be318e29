package io.amply.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.common.caching.Cache;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A fund lives long (every money movement is one of its events): it is kept in the aggregate
 * cache, snapshotted every 100 events, and one restored from its snapshot knows its balance and
 * which of its entries were corrected. So do an organisation (its roles), a campaign (an event per
 * donation it counts) and a business (an event per match).
 */
class SnapshotsIT {

    @Test
    void aBusyFundIsSnapshottedAndRestoredFromItsSnapshotWithItsBalance() throws Exception {
        // given: an expense of 50 reversed, then 120 donations of 1 to the fund, i.e. 124 events of the fund
        TestStack stack = TestStack.get();
        Api api = new Api(stack);
        Api.Organisation org = api.organisation(Api.admin(), "CHF");
        api.receive(Api.admin(), org.id(), org.generalFund(), 50, "CHF", 0);
        api.ok("/v1/expenses", Api.admin(), expense(org, 50));
        String spent = api.ledger(org.id(), c -> c.size() == 2).get(1).id();
        String reversal = """
                {"organisation_id": "%s", "fund_id": "%s", "kind": "reversal", "corrects_entry_id": "%s",
                 "amount": 50, "currency": "CHF", "reason": "paid twice"}""".formatted(org.id(), org.generalFund(), spent);
        api.ok("/v1/corrections", Api.admin(), reversal);
        inParallel(120, () -> api.receive(Api.admin(), org.id(), org.generalFund(), 1, "CHF", 0));
        Cache cache = stack.apps().command().getBean("aggregateCache", Cache.class);
        assertThat(cache.containsKey(org.generalFund())).as("the fund is in the aggregate cache").isTrue();

        // when: the fund has to be loaded from the store again, where an older node left an empty
        // snapshot without a revision (as Amply wrote them before 2026-11-26) after the good one
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(snapshots(api, org.generalFund())).as("snapshots of the fund").isPositive());
        try (Connection superuser = stack.superuser(); PreparedStatement empty = superuser.prepareStatement("""
                INSERT INTO snapshot_event_entry (aggregate_identifier, sequence_number, type, event_identifier, time_stamp,
                                                  payload_type, payload_revision, payload)
                SELECT aggregate_identifier, max(sequence_number) + 1000, 'Fund', gen_random_uuid()::text, now()::text,
                       'io.amply.command.fund.Fund', NULL, '{}'::bytea
                  FROM snapshot_event_entry WHERE aggregate_identifier = ? GROUP BY aggregate_identifier""")) {
            empty.setString(1, org.generalFund());
            assertThat(empty.executeUpdate()).isOne();
        }
        cache.removeAll();

        // then: it spends exactly what it holds, no more, and knows the expense was already reversed
        api.refused("/v1/corrections", Api.admin(), reversal, 409, "conflict");
        api.refused("/v1/expenses", Api.admin(), expense(org, 171), 409, "conflict");
        api.ok("/v1/expenses", Api.admin(), expense(org, 170));
        assertThat(api.balance(org.generalFund())).isZero();
    }

    @Test
    void anOrganisationRestoredFromItsSnapshotKnowsWhoHasWhichRole() throws Exception {
        // given: 110 role changes of one member, i.e. more than 100 events of the organisation
        TestStack stack = TestStack.get();
        Api api = new Api(stack);
        AmplyDatabase.ensureUser(stack.database, "usr_snapmember", "snap-member@example.org", "Member", null,
                "key_snapmember", "sk_test_snapshots_member_1");
        Api.Organisation org = api.organisation(Api.admin(), "CHF");
        for (int i = 0; i < 110; i++) {
            api.ok("/v1/organisations/" + org.id() + "/memberships", Api.admin(),
                    "{\"user_id\": \"usr_snapmember\", \"role\": \"" + (i % 2 == 0 ? "viewer" : "content") + "\"}");
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(snapshots(api, org.id())).as("snapshots of the organisation").isPositive());

        // when: it has to be loaded from the store again
        stack.apps().command().getBean("aggregateCache", Cache.class).removeAll();

        // then: its only owner still cannot step down, it still knows the member (who can be removed,
        // which it refuses for someone without a role), and its status moves as before
        api.refused("/v1/organisations/" + org.id() + "/memberships", Api.admin(),
                "{\"user_id\": \"" + AmplyDatabase.DEV_ADMIN_ID + "\", \"role\": \"viewer\"}", 409, "conflict");
        JsonNode organisation = api.get("/v1/organisations/" + org.id(), "sk_test_snapshots_member_1").body().get("data");
        assertThat(organisation.get("id").asText()).isEqualTo(org.id());
        assertThat(Http.delete(api.url("/v1/organisations/" + org.id() + "/memberships/usr_snapmember"), Api.admin()).status())
                .isEqualTo(200);
        api.ok("/v1/organisations/" + org.id() + "/suspend", Api.admin(), "{\"reason\": \"review\"}");
        api.ok("/v1/organisations/" + org.id() + "/reinstate", Api.admin(), "");
    }

    @Test
    void aBusyCampaignRestoredFromItsSnapshotKnowsWhatItRaisedItsDonorsAndItsGoal() throws Exception {
        // given: an active campaign with a goal of 150, a donation of 10, then 120 donations of 1 (123 events)
        TestStack stack = TestStack.get();
        Api api = new Api(stack);
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        String campaign = api.ok("/v1/organisations/" + org.id() + "/campaigns", Api.admin(), """
                {"fund_id": "%s", "name": "Snapshot appeal", "goal_amount": 150, "currency": "GBP"}"""
                .formatted(org.generalFund())).get("id").asText();
        api.ok("/v1/campaigns/" + campaign + "/activate", Api.admin(), "");
        String first = api.ok("/v1/donations", Api.admin(), campaignDonation(org, campaign, 10)).get("id").asText();
        inParallel(120, () -> api.ok("/v1/donations", Api.admin(), campaignDonation(org, campaign, 1)));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(snapshots(api, campaign)).as("snapshots of the campaign").isPositive());

        // when: it has to be loaded from the store again, then the first donation is refunded in
        // full and a donation of 30 takes the total to the goal
        stack.apps().command().getBean("aggregateCache", Cache.class).removeAll();
        api.ok("/v1/donations/" + first + "/refund", Api.admin(), "{\"amount\": 10, \"reason\": \"asked by donor\"}");
        api.ok("/v1/donations", Api.admin(), campaignDonation(org, campaign, 30));

        // then: it counted on from where it was, and said once that the goal was reached
        JsonNode state = api.get("/v1/campaigns/" + campaign, Api.admin()).body().get("data");
        assertThat(state.get("raised_amount").asLong()).isEqualTo(150);
        assertThat(state.get("donor_count").asInt()).isEqualTo(121);
        assertThat(state.get("goal_reached").asBoolean()).isTrue();
        assertThat(api.count("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ? "
                + "AND payload_type LIKE '%.CampaignGoalReachedEvent'", campaign)).isOne();
    }

    @Test
    void aBusyBusinessRestoredFromItsSnapshotMatchesOnlyWhatIsLeftOfItsCap() throws Exception {
        // given: a verified business matching 1:1 up to 150, and 110 donations of 1 it matched (113 events)
        TestStack stack = TestStack.get();
        Api api = new Api(stack);
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        String business = api.ok("/v1/businesses", Api.admin(), "{\"name\": \"Snapshot Ltd\", \"country\": \"GB\"}")
                .get("id").asText();
        api.ok("/v1/businesses/" + business + "/verify", Api.admin(), "");
        String programme = api.acceptedProgramme(business, Api.admin(), """
                {"organisation_id": "%s", "ratio_percent": 100, "cap_amount": 150, "currency": "GBP"}"""
                .formatted(org.id())).get("id").asText();
        inParallel(110, () -> api.receive(Api.admin(), org.id(), org.generalFund(), 1, "GBP", 0));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(snapshots(api, business)).as("snapshots of the business").isPositive());

        // when: it has to be loaded from the store again, and a donation of 100 arrives
        stack.apps().command().getBean("aggregateCache", Cache.class).removeAll();
        api.receive(Api.admin(), org.id(), org.generalFund(), 100, "GBP", 0);

        // then: it matched the 40 left of its cap, and the fund holds every donation and match
        JsonNode state = api.get("/v1/businesses/" + business + "/matching-programmes/" + programme, Api.admin())
                .body().get("data");
        assertThat(state.get("used_amount").asLong()).isEqualTo(150);
        assertThat(api.balance(org.generalFund())).isEqualTo(110 + 110 + 100 + 40);
    }

    private static String campaignDonation(Api.Organisation org, String campaign, long amount) {
        return """
                {"organisation_id": "%s", "fund_id": "%s", "campaign_id": "%s", "amount": %d, "currency": "GBP",
                 "payment": {"method": "bank_transfer", "reference": "BACS %d", "fee_amount": 0, "fee_charged_by": "bank"}}"""
                .formatted(org.id(), org.generalFund(), campaign, amount, amount);
    }

    /** Runs the request this many times, eight at a time, and waits for all of them. */
    private static void inParallel(int times, Runnable request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < times; i++) {
                sent.add(pool.submit(request));
            }
            for (Future<?> future : sent) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    private static String expense(Api.Organisation org, long amount) {
        return """
                {"organisation_id": "%s", "fund_id": "%s", "amount": %d, "currency": "CHF", "category": "programs",
                 "recipient_type": "supplier"}""".formatted(org.id(), org.generalFund(), amount);
    }

    private static long snapshots(Api api, String aggregateId) throws SQLException {
        return api.count("SELECT count(*) FROM snapshot_event_entry WHERE aggregate_identifier = ?", aggregateId);
    }
}
