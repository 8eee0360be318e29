package io.amply.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.amply.ledger.hash.LedgerEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The campaigns and projects read models on the query side, served from the replica: progress
 * agrees with the command side and with the money that moved, spending with the expenses booked,
 * drafts stay private, lists page by keyset, and {@code min_position} reads include the write.
 */
class CampaignProgressIT {

    private static final String VIEWER = "sk_test_cpi_viewer_1";
    private static final String VIEWER_ID = "usr_cpiviewer";
    private static final String OUTSIDER = "sk_test_cpi_outsider_1";
    private static final String OUTSIDER_ID = "usr_cpioutsider";
    private static final Duration REPLICA = Duration.ofSeconds(60);

    private static TestStack stack;
    private static Api api;

    @BeforeAll
    static void start() throws SQLException {
        stack = TestStack.get();
        api = new Api(stack);
        AmplyDatabase.ensureUser(stack.database, VIEWER_ID, "cpi-viewer@example.org", "Viewer", null, "key_cpiviewer", VIEWER);
        AmplyDatabase.ensureUser(stack.database, OUTSIDER_ID, "cpi-outsider@example.org", "Outsider", null,
                "key_cpioutsider", OUTSIDER);
    }

    @Test
    void aPublicCampaignsProgressEqualsTheCommandSideAndTheDonationsRefundsAndMatchesMade() {
        // given: an active campaign with a 1:2 matching programme, donations (one with a fee), one refunded in full,
        // one in part, and a donation to no campaign
        Api.Organisation org = api.organisation(admin(), "GBP");
        String fund = org.generalFund();
        String campaign = activeCampaign(org, "GBP", "Clean water", 8000, null);
        String business = created("/v1/businesses", admin(), "{\"name\": \"Progress Matching Ltd\", \"country\": \"GB\"}")
                .get("id").asText();
        api.ok("/v1/businesses/" + business + "/verify", admin(), "");
        String programme = api.acceptedProgramme(business, admin(), """
                {"organisation_id": "%s", "campaign_id": "%s", "ratio_percent": 50, "cap_amount": 100000, "currency": "GBP"}"""
                .formatted(org.id(), campaign)).get("id").asText();
        long[] gifts = {4000, 2000, 3000, 1000};
        List<String> donations = new ArrayList<>();
        donations.add(api.ok("/v1/donations", admin(), donation(org.id(), fund, gifts[0], campaign, 120)).get("id").asText());
        donations.add(api.ok("/v1/donations", admin(), donation(org.id(), fund, gifts[1], campaign, 0)).get("id").asText());
        donations.add(api.ok("/v1/donations", admin(), donation(org.id(), fund, gifts[2], campaign, 0)).get("id").asText());
        api.receive(admin(), org.id(), fund, 700, "GBP", 0); // to no campaign: neither counted nor matched
        api.ok("/v1/donations/" + donations.get(0) + "/refund", admin(), "{\"amount\": 4000, \"reason\": \"in full\"}");
        api.ok("/v1/donations/" + donations.get(2) + "/refund", admin(), "{\"amount\": 1000, \"reason\": \"in part\"}");
        long refunded = 4000 + 1000;
        long matched = 0;
        for (long gift : gifts) {
            matched += gift * 50 / 100;
        }
        long raised = gifts[0] + gifts[1] + gifts[2] + gifts[3] + matched - refunded;
        int donors = 3 + gifts.length; // the gifts not refunded in full, and every match (a donation of its own)

        // when: the last donation, then a read that must include it
        Http.Response last = api.post("/v1/donations", admin(), donation(org.id(), fund, gifts[3], campaign, 0));
        assertThat(last.status()).as(last.raw()).isEqualTo(201);
        JsonNode position = last.body().get("meta").get("position");
        assertThat(position).as("meta.position of " + last.raw()).isNotNull();
        String publicCampaign = query("/v1/public/campaigns/" + campaign);
        Http.Response fresh = Diagnostics.explained(() -> await().atMost(REPLICA)
                .pollInterval(Duration.ofMillis(100)).until(() -> {
                    Http.Response response = Http.get(publicCampaign + "?min_position=" + position.asLong(), null);
                    if (response.status() != 200) {
                        // never stale data: either everything up to the position, or a clear "not yet"
                        assertThat(response.status()).as(response.raw()).isEqualTo(409);
                        assertThat(response.body().get("error").get("code").asText()).isEqualTo("conflict");
                    }
                    return response;
                }, response -> response.status() == 200), () -> ProcessorStates.describe(stack, "campaign-progress"));

        // then: the read includes the last donation and its match
        JsonNode read = fresh.body().get("data");
        assertThat(read.get("raised_amount").asLong()).as(fresh.raw()).isEqualTo(raised);
        assertThat(read.get("donor_count").asLong()).isEqualTo(donors);
        assertThat(read.get("matched_amount").asLong()).isEqualTo(matched);
        assertThat(fresh.body().get("meta").get("served_from").asText()).isEqualTo("replica");
        JsonNode freshness = fresh.body().get("meta").get("freshness");
        assertThat(freshness.get("projection").asText()).isEqualTo("campaign-progress");
        assertThat(freshness.get("position").asLong()).isGreaterThanOrEqualTo(position.asLong());

        // and it equals the command side, the programme, and the sums of what was given
        JsonNode command = api.get("/v1/campaigns/" + campaign, admin()).body().get("data");
        JsonNode view = Http.get(publicCampaign, null).body().get("data");
        assertThat(raised).isEqualTo(10_000);
        assertThat(matched).isEqualTo(5_000);
        assertThat(donors).isEqualTo(7);
        assertThat(view.get("id").asText()).isEqualTo(campaign);
        assertThat(view.get("organisation_id").asText()).isEqualTo(org.id());
        assertThat(view.get("fund_id").asText()).isEqualTo(fund);
        assertThat(view.get("name").asText()).isEqualTo("Clean water");
        assertThat(view.get("status").asText()).isEqualTo("active").isEqualTo(command.get("status").asText());
        assertThat(view.get("currency").asText()).isEqualTo("GBP");
        assertThat(view.get("goal_amount").asLong()).isEqualTo(8000).isEqualTo(command.get("goal_amount").asLong());
        assertThat(view.get("raised_amount").asLong()).isEqualTo(raised).isEqualTo(command.get("raised_amount").asLong());
        assertThat(view.get("donor_count").asLong()).isEqualTo(donors).isEqualTo(command.get("donor_count").asLong());
        assertThat(view.get("matched_amount").asLong()).isEqualTo(matched)
                .isEqualTo(api.get("/v1/businesses/" + business + "/matching-programmes/" + programme, admin())
                        .body().get("data").get("used_amount").asLong());
        assertThat(view.get("goal_reached").asBoolean()).isTrue().isEqualTo(command.get("goal_reached").asBoolean());
        assertThat(view.get("percent_of_goal").isNumber()).isTrue();
        assertThat(view.get("percent_of_goal").asDouble()).isEqualTo(125.0);
        assertThat(isNull(view, "starts_at")).isTrue();
        assertThat(isNull(view, "ends_at")).isTrue();
        assertThat(isNull(view, "days_left")).isTrue();
    }

    @Test
    void aRefundOfABusinesssMatchIsTakenOffTheCampaignsMatchedAmount() throws Exception {
        // given: a 1:1 match of a donation of 2,000, of which the organisation refunds 300 to the business
        Api.Organisation org = api.organisation(admin(), "GBP");
        String campaign = activeCampaign(org, "GBP", "Roof", 100_000, null);
        String business = created("/v1/businesses", admin(), "{\"name\": \"Net Matching Ltd\", \"country\": \"GB\"}")
                .get("id").asText();
        api.ok("/v1/businesses/" + business + "/verify", admin(), "");
        api.acceptedProgramme(business, admin(), """
                {"organisation_id": "%s", "campaign_id": "%s", "ratio_percent": 100, "cap_amount": 100000, "currency": "GBP"}"""
                .formatted(org.id(), campaign));
        api.ok("/v1/donations", admin(), donation(org.id(), org.generalFund(), 2000, campaign, 0));
        String match;
        try (Connection superuser = stack.superuser(); PreparedStatement query = superuser.prepareStatement(
                "SELECT id FROM donations WHERE campaign_id = ? AND business_id = ?")) {
            query.setString(1, campaign);
            query.setString(2, business);
            try (ResultSet rs = query.executeQuery()) {
                assertThat(rs.next()).as("the match").isTrue();
                match = rs.getString(1);
            }
        }

        // when
        api.ok("/v1/donations/" + match + "/refund", admin(), "{\"amount\": 300, \"reason\": \"the business asked\"}");

        // then: raised and matched are both net of the refund, as the command side's raised total is
        String publicCampaign = query("/v1/public/campaigns/" + campaign);
        JsonNode view = await().atMost(REPLICA).until(() -> Http.get(publicCampaign, null).body().get("data"),
                v -> v.get("raised_amount").asLong() == 3_700);
        assertThat(view.get("matched_amount").asLong()).isEqualTo(1_700);
        assertThat(api.get("/v1/campaigns/" + campaign, admin()).body().get("data").get("raised_amount").asLong()).isEqualTo(3_700);
    }

    @Test
    void aProjectsSpentAndRemainingAreItsBudgetLessTheExpensesBookedAgainstIt() {
        // given
        Api.Organisation org = api.organisation(admin(), "EUR");
        String fund = org.generalFund();
        api.receive(admin(), org.id(), fund, 20_000, "EUR", 0);
        String wells = created("/v1/organisations/" + org.id() + "/projects", admin(), project(fund, "EUR", "Wells", 50_000))
                .get("id").asText();
        String roof = created("/v1/organisations/" + org.id() + "/projects", admin(), project(fund, "EUR", "Roof", 9_000))
                .get("id").asText();
        api.ok("/v1/projects/" + wells + "/activate", admin(), "");
        long[] expenses = {2_500, 1_200};

        // when: one expense for no project, then two for the wells
        api.ok("/v1/expenses", admin(), expense(org.id(), fund, null, 300));
        for (long amount : expenses) {
            api.ok("/v1/expenses", admin(), expense(org.id(), fund, wells, amount));
        }

        // then
        long spent = expenses[0] + expenses[1];
        String projects = query("/v1/public/organisations/" + org.id() + "/projects");
        JsonNode body = await().atMost(REPLICA).until(() -> Http.get(projects, null).body(),
                b -> b.get("data").size() == 2 && b.get("data").get(0).get("spent_amount").asLong() == spent);
        assertThat(body.get("meta").get("served_from").asText()).isEqualTo("replica");
        assertThat(body.get("meta").get("freshness").get("projection").asText()).isEqualTo("project-budgets");
        assertThat(body.get("has_more").asBoolean()).isFalse();
        JsonNode first = body.get("data").get(0);
        assertThat(first.get("id").asText()).isEqualTo(wells);
        assertThat(first.get("fund_id").asText()).isEqualTo(fund);
        assertThat(first.get("name").asText()).isEqualTo("Wells");
        assertThat(first.get("status").asText()).isEqualTo("active");
        assertThat(first.get("currency").asText()).isEqualTo("EUR");
        assertThat(first.get("budget_amount").asLong()).isEqualTo(50_000);
        assertThat(first.get("spent_amount").asLong()).isEqualTo(3_700);
        assertThat(first.get("remaining_amount").asLong()).isEqualTo(50_000 - spent);
        JsonNode second = body.get("data").get(1);
        assertThat(second.get("id").asText()).isEqualTo(roof);
        assertThat(second.get("status").asText()).isEqualTo("planning");
        assertThat(second.get("spent_amount").asLong()).isZero();
        assertThat(second.get("remaining_amount").asLong()).isEqualTo(9_000);
        assertThat(pages(projects, null, 1)).extracting(p -> p.get("id").asText()).containsExactly(wells, roof);
    }

    @Test
    void aCorrectionOfAProjectsExpenseChangesWhatTheProjectSpent() {
        // given: two expenses for the wells, the first booked 500 too high
        Api.Organisation org = api.organisation(admin(), "EUR");
        String fund = org.generalFund();
        api.receive(admin(), org.id(), fund, 20_000, "EUR", 0);
        String wells = created("/v1/organisations/" + org.id() + "/projects", admin(), project(fund, "EUR", "Wells", 50_000))
                .get("id").asText();
        api.ok("/v1/expenses", admin(), expense(org.id(), fund, wells, 2_500));
        api.ok("/v1/expenses", admin(), expense(org.id(), fund, wells, 1_200));
        List<LedgerEntry> chain = api.ledger(org.id(), c -> c.size() == 3);

        // when: the first is adjusted by 500, the second reversed
        String correction = """
                {"organisation_id": "%s", "fund_id": "%s", "kind": "%s", "corrects_entry_id": "%s", "amount": %d,
                 "currency": "EUR", "reason": "invoice corrected"}""";
        api.ok("/v1/corrections", admin(), correction.formatted(org.id(), fund, "adjustment", chain.get(1).id(), 500));
        api.ok("/v1/corrections", admin(), correction.formatted(org.id(), fund, "reversal", chain.get(2).id(), 1_200));

        // then: the project spent 2,000, as its ledger entries say
        String projects = query("/v1/public/organisations/" + org.id() + "/projects");
        JsonNode wellsNow = await().atMost(REPLICA).until(() -> Http.get(projects, null).body().get("data").get(0),
                p -> p.get("spent_amount").asLong() == 2_000);
        assertThat(wellsNow.get("remaining_amount").asLong()).isEqualTo(48_000);
        assertThat(api.ledger(org.id(), c -> c.size() == 5).subList(3, 5))
                .allSatisfy(e -> assertThat(e.metadata().get("project_id").asText()).isEqualTo(wells));
    }

    @Test
    void aDraftCampaignIsOnlyInTheMembersListAndAUserOfAnotherOrganisationIsRefused() {
        // given: an active campaign, one ending in ten and a half days, and a draft whose dates have passed;
        // the viewer is a member of the organisation, the outsider only of another one
        Api.Organisation org = api.organisation(admin(), "EUR");
        Api.Organisation other = api.organisation(admin(), "EUR");
        api.grant(org.id(), VIEWER_ID, "viewer");
        api.grant(other.id(), OUTSIDER_ID, "admin");
        Instant now = Instant.now();
        String open = activeCampaign(org, "EUR", "Open", 5000, null);
        String ending = activeCampaign(org, "EUR", "Ending", 5000, now.plus(Duration.ofDays(10)).plus(Duration.ofHours(12)));
        String draft = created("/v1/organisations/" + org.id() + "/campaigns", admin(), """
                {"fund_id": "%s", "name": "Last month", "goal_amount": 5000, "currency": "EUR",
                 "starts_at": "%s", "ends_at": "%s"}"""
                .formatted(org.generalFund(), now.minus(Duration.ofDays(40)), now.minus(Duration.ofDays(10)))).get("id").asText();
        String members = query("/v1/organisations/" + org.id() + "/campaigns");
        String everyone = query("/v1/public/organisations/" + org.id() + "/campaigns");

        // when
        JsonNode memberList = await().atMost(REPLICA).until(() -> Http.get(members, VIEWER).body(),
                b -> b.has("data") && b.get("data").size() == 3);
        JsonNode publicList = Http.get(everyone, null).body();

        // then: the draft is only for members
        assertThat(ids(memberList)).containsExactly(open, ending, draft);
        assertThat(ids(publicList)).containsExactly(open, ending);
        JsonNode drafted = memberList.get("data").get(2);
        assertThat(drafted.get("status").asText()).isEqualTo("draft");
        assertThat(drafted.get("days_left").asLong()).isZero();
        assertThat(memberList.get("data").get(1).get("days_left").asLong()).isEqualTo(10);
        assertThat(isNull(memberList.get("data").get(0), "days_left")).isTrue();
        assertThat(memberList.get("meta").get("served_from").asText()).isEqualTo("replica");
        assertThat(publicList.get("meta").get("freshness").get("projection").asText()).isEqualTo("campaign-progress");
        refused(query("/v1/public/campaigns/" + draft), null, 404, "not_found");
        refused(query("/v1/public/campaigns/camp_doesnotexist0"), null, 404, "not_found");
        assertThat(Http.get(query("/v1/public/campaigns/" + ending), null).body().get("data").get("days_left").asLong())
                .isEqualTo(10);

        // and nobody outside the organisation reads the members' list
        refused(members, OUTSIDER, 403, "authorization_error");
        refused(members, null, 401, "authentication_error");
        assertThat(ids(Http.get(members, admin()).body())).containsExactly(open, ending, draft);
    }

    @Test
    void aDraftCancelledBeforeItWasEverActivatedStaysPrivateAndOneCancelledAfterStaysPublic() {
        // given: an appeal cancelled while still a draft, never announced, and one cancelled after it ran
        Api.Organisation org = api.organisation(admin(), "EUR");
        String unannounced = created("/v1/organisations/" + org.id() + "/campaigns", admin(), """
                {"fund_id": "%s", "name": "Secret gala", "goal_amount": 5000, "currency": "EUR"}""".formatted(org.generalFund()))
                .get("id").asText();
        String ran = activeCampaign(org, "EUR", "Spring appeal", 5000, null);

        // when
        api.ok("/v1/campaigns/" + unannounced + "/cancel", admin(), "");
        api.ok("/v1/campaigns/" + ran + "/cancel", admin(), "");

        // then: members see both cancelled; the public only the one it knew (until 2026-11-29 both, name and goal
        // included, and both counted)
        JsonNode memberList = await().atMost(REPLICA).until(() -> Http.get(query("/v1/organisations/" + org.id() + "/campaigns"),
                admin()).body(), b -> b.has("data") && b.get("data").size() == 2
                && b.get("data").findValuesAsText("status").stream().allMatch("cancelled"::equals));
        assertThat(ids(memberList)).containsExactly(unannounced, ran);
        assertThat(ids(Http.get(query("/v1/public/organisations/" + org.id() + "/campaigns"), null).body())).containsExactly(ran);
        refused(query("/v1/public/campaigns/" + unannounced), null, 404, "not_found");
        assertThat(Http.get(query("/v1/public/campaigns/" + ran), null).body().at("/data/status").asText()).isEqualTo("cancelled");
        assertThat(Http.get(query("/v1/public/organisations/" + org.id()), null).body().at("/data/stats/campaign_count").asLong())
                .isOne();
        // and a business outside the organisation is told there is no such campaign, not that it was cancelled
        Api.User manager = api.user("gala-sponsor");
        String business = api.ok("/v1/businesses", manager.key(), "{\"name\": \"Gala Sponsors Ltd\", \"country\": \"GB\"}")
                .get("id").asText();
        api.ok("/v1/businesses/" + business + "/verify", admin(), "");
        JsonNode refusal = api.refused("/v1/businesses/" + business + "/matching-programmes", manager.key(), """
                {"organisation_id": "%s", "campaign_id": "%s", "ratio_percent": 100, "cap_amount": 1000, "currency": "EUR"}"""
                .formatted(org.id(), unannounced), 400, "invalid_request");
        assertThat(refusal.get("message").asText()).contains("has no campaign").doesNotContain("cancelled");
    }

    @Test
    void pagingWithLimitOneVisitsEveryCampaignExactlyOnce() {
        // given: five campaigns, two of them drafts
        Api.Organisation org = api.organisation(admin(), "USD");
        List<String> all = new ArrayList<>();
        List<String> published = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            if (i % 2 == 1) {
                all.add(created("/v1/organisations/" + org.id() + "/campaigns", admin(), campaign(org.generalFund(), "USD",
                        "Draft " + i, 1000, null)).get("id").asText());
            } else {
                String id = activeCampaign(org, "USD", "Appeal " + i, 1000, null);
                all.add(id);
                published.add(id);
            }
        }
        String members = query("/v1/organisations/" + org.id() + "/campaigns");
        String everyone = query("/v1/public/organisations/" + org.id() + "/campaigns");
        await().atMost(REPLICA).until(() -> ids(Http.get(everyone + "?limit=100", null).body()), published::equals);

        // when
        List<JsonNode> memberPages = pages(members, admin(), 1);
        List<JsonNode> publicPages = pages(everyone, null, 1);

        // then: in creation order, each once
        assertThat(memberPages).extracting(c -> c.get("id").asText()).containsExactlyElementsOf(all).doesNotHaveDuplicates();
        assertThat(publicPages).extracting(c -> c.get("id").asText()).containsExactlyElementsOf(published);
        assertThat(pages(members, admin(), 2)).extracting(c -> c.get("id").asText()).containsExactlyElementsOf(all);
        refused(everyone + "?limit=0", null, 400, "invalid_request", "limit");
        refused(everyone + "?limit=101", null, 400, "invalid_request", "limit");
        refused(everyone + "?cursor=not-a-cursor", null, 400, "invalid_request", "cursor");
        refused(everyone + "?min_position=-1", null, 400, "invalid_request", "min_position");
    }

    // ---------------------------------------------------------------- helpers

    private static String admin() {
        return Api.admin();
    }

    private static String query(String path) {
        return stack.apps().queryUrl() + path;
    }

    /** Every item of a list, following next_cursor with {@code limit} per page. */
    private static List<JsonNode> pages(String url, String apiKey, int limit) {
        List<JsonNode> items = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 100; page++) {
            Http.Response response = Http.get(url + "?limit=" + limit + (cursor == null ? "" : "&cursor=" + cursor), apiKey);
            assertThat(response.status()).as(response.raw()).isEqualTo(200);
            JsonNode data = response.body().get("data");
            assertThat(data.size()).isLessThanOrEqualTo(limit);
            data.forEach(items::add);
            if (!response.body().get("has_more").asBoolean()) {
                assertThat(response.body().has("next_cursor") && response.body().get("next_cursor").isNull()).isTrue();
                return items;
            }
            assertThat(data.size()).isEqualTo(limit);
            cursor = response.body().get("next_cursor").asText();
        }
        throw new AssertionError("more than 100 pages of " + url);
    }

    private static boolean isNull(JsonNode data, String member) {
        JsonNode value = data.get(member);
        return value == null || value.isNull();
    }

    private static List<String> ids(JsonNode list) {
        List<String> ids = new ArrayList<>();
        list.get("data").forEach(c -> ids.add(c.get("id").asText()));
        return ids;
    }

    private static void refused(String url, String apiKey, int status, String code) {
        refused(url, apiKey, status, code, null);
    }

    private static void refused(String url, String apiKey, int status, String code, String param) {
        Http.Response response = Http.get(url, apiKey);
        assertThat(response.status()).as(url + " → " + response.raw()).isEqualTo(status);
        assertThat(response.body().get("error").get("code").asText()).isEqualTo(code);
        if (param != null) {
            assertThat(response.body().get("error").get("param").asText()).isEqualTo(param);
        }
    }

    /** Posts to the command side and expects 201 Created; returns {@code data}. */
    private static JsonNode created(String path, String apiKey, String body) {
        Http.Response response = api.post(path, apiKey, body);
        assertThat(response.status()).as(path + " " + body + " → " + response.body()).isEqualTo(201);
        return response.body().get("data");
    }

    private static String activeCampaign(Api.Organisation org, String currency, String name, long goal, Instant endsAt) {
        String id = created("/v1/organisations/" + org.id() + "/campaigns", admin(),
                campaign(org.generalFund(), currency, name, goal, endsAt)).get("id").asText();
        api.ok("/v1/campaigns/" + id + "/activate", admin(), "");
        return id;
    }

    private static String campaign(String fund, String currency, String name, long goal, Instant endsAt) {
        return """
                {"fund_id": "%s", "name": "%s", "goal_amount": %d, "currency": "%s"%s}"""
                .formatted(fund, name, goal, currency, endsAt == null ? "" : ", \"ends_at\": \"" + endsAt + "\"");
    }

    private static String project(String fund, String currency, String name, long budget) {
        return """
                {"fund_id": "%s", "name": "%s", "budget_amount": %d, "currency": "%s"}""".formatted(fund, name, budget, currency);
    }

    /** A GBP donation whose money has arrived by bank transfer, to a campaign. */
    private static String donation(String org, String fund, long amount, String campaign, long fee) {
        return """
                {"organisation_id": "%s", "fund_id": "%s", "amount": %d, "currency": "GBP", "campaign_id": "%s",
                 "payment": {"method": "bank_transfer", "reference": "BACS %d", "fee_amount": %d, "fee_charged_by": "bank"}}"""
                .formatted(org, fund, amount, campaign, amount, fee);
    }

    private static String expense(String org, String fund, String project, long amount) {
        return """
                {"organisation_id": "%s", "fund_id": "%s"%s, "amount": %d, "currency": "EUR", "category": "programs",
                 "recipient_type": "supplier"}""".formatted(org, fund, project == null ? "" : ", \"project_id\": \"" + project + "\"",
                amount);
    }
}
