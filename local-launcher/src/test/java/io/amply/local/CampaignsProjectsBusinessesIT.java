package io.amply.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.amply.ledger.hash.LedgerEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Projects, campaigns, businesses and matching programmes over HTTP: their lifecycles, who may
 * do what, how campaign donations and business matches move money, and what bad input gets.
 */
class CampaignsProjectsBusinessesIT {

    private static final String MANAGER = "sk_test_cpb_manager_1";
    private static final String MANAGER_ID = "usr_cpbmanager";
    private static final String VIEWER = "sk_test_cpb_viewer_1";
    private static final String VIEWER_ID = "usr_cpbviewer";
    private static final String OUTSIDER = "sk_test_cpb_outsider_1";
    private static final String OUTSIDER_ID = "usr_cpboutsider";

    private static TestStack stack;
    private static Api api;

    @BeforeAll
    static void start() throws SQLException {
        stack = TestStack.get();
        api = new Api(stack);
        AmplyDatabase.ensureUser(stack.database, MANAGER_ID, "cpb-manager@example.org", "Business manager", null,
                "key_cpbmanager", MANAGER);
        AmplyDatabase.ensureUser(stack.database, VIEWER_ID, "cpb-viewer@example.org", "Viewer", null,
                "key_cpbviewer", VIEWER);
        AmplyDatabase.ensureUser(stack.database, OUTSIDER_ID, "cpb-outsider@example.org", "Outsider", null,
                "key_cpboutsider", OUTSIDER);
    }

    private static String admin() {
        return Api.admin();
    }

    // ---------------------------------------------------------------- projects

    @Test
    void aProjectGoesFromPlanningThroughActiveToCompletedAndRefusesTransitionsItsStatusDoesNotAllow() {
        // given
        Api.Organisation org = api.organisation(admin(), "GBP");
        JsonNode project = created("/v1/organisations/" + org.id() + "/projects", admin(),
                project(org.generalFund(), "  Wells in Kenya ", "50000", "GBP"));
        String id = project.get("id").asText();
        assertThat(id).startsWith("proj_").hasSizeLessThanOrEqualTo(20);
        assertThat(project.get("organisation_id").asText()).isEqualTo(org.id());
        assertThat(project.get("fund_id").asText()).isEqualTo(org.generalFund());
        assertThat(project.get("name").asText()).isEqualTo("Wells in Kenya");
        assertThat(project.get("budget_amount").asLong()).isEqualTo(50000);
        assertThat(project.get("currency").asText()).isEqualTo("GBP");
        assertThat(project.get("status").asText()).isEqualTo("planning");
        assertThat(project.get("created_at").asText()).isNotBlank();

        // when / then: planning → (not completed) → active → completed
        api.refused("/v1/projects/" + id + "/complete", admin(), "", 409, "conflict");
        assertThat(api.ok("/v1/projects/" + id + "/activate", admin(), "").get("status").asText()).isEqualTo("active");
        api.refused("/v1/projects/" + id + "/activate", admin(), "", 409, "conflict");
        assertThat(read("/v1/projects/" + id, admin()).get("status").asText()).isEqualTo("active");
        assertThat(api.ok("/v1/projects/" + id + "/complete", admin(), "").get("status").asText()).isEqualTo("completed");

        // a completed project moves no further
        api.refused("/v1/projects/" + id + "/cancel", admin(), "", 409, "conflict");
        api.refused("/v1/projects/" + id + "/activate", admin(), "", 409, "conflict");
        api.refused("/v1/projects/" + id + "/complete", admin(), "", 409, "conflict");
        JsonNode view = read("/v1/projects/" + id, admin());
        assertThat(view.get("status").asText()).isEqualTo("completed");
        assertThat(view.get("budget_amount").asLong()).isEqualTo(50000);
        assertThat(view.get("created_at").asText()).isEqualTo(project.get("created_at").asText());
    }

    @Test
    void aProjectIsCancelledFromPlanningOrFromActiveAndThenMovesNoFurther() throws SQLException {
        // given
        Api.Organisation org = api.organisation(admin(), "EUR");
        String planned = created("/v1/organisations/" + org.id() + "/projects", admin(),
                project(org.generalFund(), "School roof", "0", "EUR")).get("id").asText();
        String running = created("/v1/organisations/" + org.id() + "/projects", admin(),
                project(org.generalFund(), "Clinic", "120000", "EUR")).get("id").asText();
        api.ok("/v1/projects/" + running + "/activate", admin(), "");

        // when: one with a reason, one with no body at all
        JsonNode first = api.ok("/v1/projects/" + planned + "/cancel", admin(), "{\"reason\": \"funding fell through\"}");
        JsonNode second = api.ok("/v1/projects/" + running + "/cancel", admin(), "");

        // then: the reason is answered beside the project, and is not in its event
        assertThat(first.get("status").asText()).isEqualTo("cancelled");
        assertThat(second.get("status").asText()).isEqualTo("cancelled");
        assertThat(first.get("cancellation_reason").asText()).isEqualTo("funding fell through");
        assertThat(read("/v1/projects/" + planned, admin()).get("cancellation_reason").asText()).isEqualTo("funding fell through");
        assertThat(second.get("cancellation_reason").isNull()).isTrue();
        assertThat(eventsNaming(planned, "funding fell through")).isZero();
        for (String id : List.of(planned, running)) {
            api.refused("/v1/projects/" + id + "/activate", admin(), "", 409, "conflict");
            api.refused("/v1/projects/" + id + "/complete", admin(), "", 409, "conflict");
            api.refused("/v1/projects/" + id + "/cancel", admin(), "", 409, "conflict");
            assertThat(read("/v1/projects/" + id, admin()).get("status").asText()).isEqualTo("cancelled");
        }
    }

    @Test
    void aCampaignsCancellationAndAnOrganisationsSuspensionAreAnsweredWithTheirReasonWhichNoEventCarries() throws SQLException {
        // given
        Api.Organisation org = api.organisation(admin(), "EUR");
        String campaign = created("/v1/organisations/" + org.id() + "/campaigns", admin(), """
                {"fund_id": "%s", "name": "Gala", "goal_amount": 50000, "currency": "EUR"}""".formatted(org.generalFund()))
                .get("id").asText();

        // when
        JsonNode cancelled = api.ok("/v1/campaigns/" + campaign + "/cancel", admin(), "{\"reason\": \"Jane Roe, our host, withdrew\"}");
        JsonNode suspended = api.ok("/v1/organisations/" + org.id() + "/suspend", admin(), "{\"reason\": \"complaint by John Doe\"}");

        // then: each answered beside its resource, and neither in an event (which Kafka keeps for good)
        assertThat(cancelled.get("cancellation_reason").asText()).isEqualTo("Jane Roe, our host, withdrew");
        assertThat(read("/v1/campaigns/" + campaign, admin()).get("cancellation_reason").asText())
                .isEqualTo("Jane Roe, our host, withdrew");
        assertThat(suspended.get("suspension_reason").asText()).isEqualTo("complaint by John Doe");
        assertThat(eventsNaming(campaign, "Jane Roe")).isZero();
        assertThat(eventsNaming(org.id(), "John Doe")).isZero();
        // and a reinstated organisation's reason is gone with its suspension; a new suspension has its own
        JsonNode reinstated = api.ok("/v1/organisations/" + org.id() + "/reinstate", admin(), "");
        assertThat(reinstated.get("status").asText()).isEqualTo("pending");
        assertThat(reinstated.get("suspension_reason").isNull()).isTrue();
        assertThat(api.count("SELECT count(*) FROM status_reasons WHERE resource_id = ?", org.id())).isZero();
        assertThat(api.ok("/v1/organisations/" + org.id() + "/suspend", admin(), "{\"reason\": \"second review\"}")
                .get("suspension_reason").asText()).isEqualTo("second review");
        // and a suspension refused (already suspended) keeps the reason it had
        api.refused("/v1/organisations/" + org.id() + "/suspend", admin(), "{\"reason\": \"third\"}", 409, "conflict");
        assertThat(read("/v1/organisations/" + org.id(), admin()).get("suspension_reason").asText()).isEqualTo("second review");
    }

    /** Events of the aggregate whose payload holds {@code text}. */
    private long eventsNaming(String aggregateId, String text) throws SQLException {
        return api.count("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ? AND convert_from(payload, 'UTF8') LIKE ?",
                aggregateId, "%" + text + "%");
    }

    @Test
    void onlyOwnersAndAdminsChangeAProjectAndOnlyMembersOfItsOrganisationSeeIt() throws SQLException {
        // given: the viewer has the viewer role; the outsider has none
        Api.Organisation org = api.organisation(admin(), "GBP");
        grant(org.id(), VIEWER_ID, "viewer");
        String projects = "/v1/organisations/" + org.id() + "/projects";
        String id = created(projects, admin(), project(org.generalFund(), "Boreholes", "9000", "GBP")).get("id").asText();

        // when / then: anyone in the organisation sees it; only owner and admin change it
        assertThat(read("/v1/projects/" + id, VIEWER).get("status").asText()).isEqualTo("planning");
        api.refused(projects, VIEWER, project(org.generalFund(), "Viewer's project", "1", "GBP"), 403, "authorization_error");
        api.refused("/v1/projects/" + id + "/activate", VIEWER, "", 403, "authorization_error");
        api.refused("/v1/projects/" + id + "/complete", VIEWER, "", 403, "authorization_error");
        api.refused("/v1/projects/" + id + "/cancel", VIEWER, "", 403, "authorization_error");
        refusedRead("/v1/projects/" + id, OUTSIDER, 403, "authorization_error");
        api.refused(projects, OUTSIDER, project(org.generalFund(), "Outsider's project", "1", "GBP"), 403, "authorization_error");
        api.refused("/v1/projects/" + id + "/activate", OUTSIDER, "", 403, "authorization_error");
        api.refused("/v1/projects/" + id + "/cancel", OUTSIDER, "", 403, "authorization_error");
        assertThat(read("/v1/projects/" + id, admin()).get("status").asText()).isEqualTo("planning");
        assertThat(api.count("SELECT count(*) FROM projects WHERE organisation_id = ?", org.id())).isEqualTo(1);
        refusedRead("/v1/projects/proj_doesnotexist00", admin(), 404, "not_found");

        // an admin of the organisation may
        grant(org.id(), VIEWER_ID, "admin");
        assertThat(api.ok("/v1/projects/" + id + "/activate", VIEWER, "").get("status").asText()).isEqualTo("active");
    }

    // ---------------------------------------------------------------- campaigns

    @Test
    void aDraftCampaignRefusesDonationsAndOnceActiveCountsThemAndReachesItsGoalOnce() throws SQLException {
        // given
        Api.Organisation org = api.organisation(admin(), "GBP");
        String fund = org.generalFund();
        JsonNode draft = created("/v1/organisations/" + org.id() + "/campaigns", admin(),
                campaign(fund, "Clean water 2026", "10000", "GBP", null, null));
        String campaign = draft.get("id").asText();
        assertThat(campaign).startsWith("camp_").hasSizeLessThanOrEqualTo(20);
        assertThat(draft.get("organisation_id").asText()).isEqualTo(org.id());
        assertThat(draft.get("fund_id").asText()).isEqualTo(fund);
        assertThat(draft.get("name").asText()).isEqualTo("Clean water 2026");
        assertThat(draft.get("status").asText()).isEqualTo("draft");
        assertThat(draft.get("currency").asText()).isEqualTo("GBP");
        assertThat(draft.get("goal_amount").asLong()).isEqualTo(10000);
        assertThat(draft.get("raised_amount").asLong()).isZero();
        assertThat(draft.get("donor_count").asInt()).isZero();
        assertThat(draft.get("goal_reached").asBoolean()).isFalse();
        assertThat(isNull(draft, "goal_reached_at")).isTrue();
        assertThat(isNull(draft, "starts_at")).isTrue();
        assertThat(isNull(draft, "ends_at")).isTrue();
        assertThat(draft.get("created_at").asText()).isNotBlank();

        // when: a donation to the draft
        api.refused("/v1/donations", admin(), donation(org.id(), fund, 2500, "GBP", campaign, null, 0), 409, "conflict");

        // then: nothing was written
        assertThat(api.balance(fund)).isZero();
        assertThat(api.count("SELECT count(*) FROM donations WHERE organisation_id = ?", org.id())).isZero();
        JsonNode stillDraft = read("/v1/campaigns/" + campaign, admin());
        assertThat(stillDraft.get("raised_amount").asLong()).isZero();
        assertThat(stillDraft.get("donor_count").asInt()).isZero();

        // when: activated, donations count (gross, fee or not)
        assertThat(api.ok("/v1/campaigns/" + campaign + "/activate", admin(), "").get("status").asText()).isEqualTo("active");
        JsonNode first = api.ok("/v1/donations", admin(), donation(org.id(), fund, 4000, "GBP", campaign, null, 0));
        assertThat(first.get("campaign_id").asText()).isEqualTo(campaign);
        JsonNode afterFirst = read("/v1/campaigns/" + campaign, admin());
        assertThat(afterFirst.get("raised_amount").asLong()).isEqualTo(4000);
        assertThat(afterFirst.get("donor_count").asInt()).isEqualTo(1);
        assertThat(afterFirst.get("goal_reached").asBoolean()).isFalse();
        assertThat(isNull(afterFirst, "goal_reached_at")).isTrue();

        api.ok("/v1/donations", admin(), donation(org.id(), fund, 6000, "GBP", campaign, null, 150));
        JsonNode reached = read("/v1/campaigns/" + campaign, admin());
        assertThat(reached.get("raised_amount").asLong()).isEqualTo(10000);
        assertThat(reached.get("donor_count").asInt()).isEqualTo(2);
        assertThat(reached.get("goal_reached").asBoolean()).isTrue();
        assertThat(isNull(reached, "goal_reached_at")).isFalse();

        api.ok("/v1/donations", admin(), donation(org.id(), fund, 500, "GBP", campaign, null, 0));
        api.receive(admin(), org.id(), fund, 700, "GBP", 0); // not attributed to the campaign

        // then
        JsonNode after = read("/v1/campaigns/" + campaign, admin());
        assertThat(after.get("raised_amount").asLong()).isEqualTo(10500);
        assertThat(after.get("donor_count").asInt()).isEqualTo(3);
        assertThat(after.get("goal_reached").asBoolean()).isTrue();
        assertThat(after.get("goal_reached_at").asText()).isEqualTo(reached.get("goal_reached_at").asText());
        assertThat(api.count("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ? "
                + "AND payload_type LIKE '%.CampaignGoalReachedEvent'", campaign)).isEqualTo(1);
        assertThat(api.balance(fund)).isEqualTo(4000 + 6000 - 150 + 500 + 700);
        // the refused donation left no entry: the chain holds exactly the four accepted donations and one fee
        assertThat(api.ledger(org.id(), c -> c.size() >= 5)).extracting(LedgerEntry::amount)
                .containsExactly(4000L, 6000L, -150L, 500L, 700L);
    }

    @Test
    void aCampaignDonationsLedgerEntryCarriesTheCampaignId() {
        // given
        Api.Organisation org = api.organisation(admin(), "EUR");
        String campaign = activeCampaign(org, "Winter appeal", 100000, "EUR");

        // when
        String attributed = api.ok("/v1/donations", admin(),
                donation(org.id(), org.generalFund(), 1500, "EUR", campaign, null, 45)).get("id").asText();
        String plain = api.receive(admin(), org.id(), org.generalFund(), 800, "EUR", 0).get("id").asText();

        // then
        List<LedgerEntry> chain = api.ledger(org.id(), c -> c.size() >= 3);
        assertThat(chain).extracting(LedgerEntry::type).containsExactly("donation_received", "fee", "donation_received");
        LedgerEntry received = chain.get(0);
        assertThat(received.amount()).isEqualTo(1500);
        assertThat(received.metadata().get("donation_id").asText()).isEqualTo(attributed);
        assertThat(received.metadata().get("campaign_id").asText()).isEqualTo(campaign);
        assertThat(received.metadata().get("fund_id").asText()).isEqualTo(org.generalFund());
        assertThat(received.metadata().get("payment_method").asText()).isEqualTo("bank_transfer");
        assertThat(received.metadata().has("business_id")).isFalse();
        assertThat(chain.get(1).metadata().get("original_entry_id").asText()).isEqualTo(received.id());
        assertThat(chain.get(2).metadata().get("donation_id").asText()).isEqualTo(plain);
        assertThat(chain.get(2).metadata().has("campaign_id")).isFalse();
    }

    @Test
    void aCancelledOrCompletedCampaignRefusesNewDonationsButCountsMoneyThatArrivesLater() {
        // given: an active campaign with one donation received and one pending
        Api.Organisation org = api.organisation(admin(), "GBP");
        String fund = org.generalFund();
        String campaign = activeCampaign(org, "Spring appeal", 50000, "GBP");
        String received = api.ok("/v1/donations", admin(), donation(org.id(), fund, 3000, "GBP", campaign, null, 0))
                .get("id").asText();
        String pending = api.ok("/v1/donations", admin(), """
                {"organisation_id": "%s", "fund_id": "%s", "amount": 2000, "currency": "GBP", "campaign_id": "%s"}"""
                .formatted(org.id(), fund, campaign)).get("id").asText();
        JsonNode before = read("/v1/campaigns/" + campaign, admin());
        assertThat(before.get("raised_amount").asLong()).isEqualTo(3000);
        assertThat(before.get("donor_count").asInt()).isEqualTo(1);

        // when
        JsonNode cancelled = api.ok("/v1/campaigns/" + campaign + "/cancel", admin(), "{\"reason\": \"merged into the summer appeal\"}");

        // then: no new donation, no way back
        assertThat(cancelled.get("status").asText()).isEqualTo("cancelled");
        api.refused("/v1/donations", admin(), donation(org.id(), fund, 100, "GBP", campaign, null, 0), 409, "conflict");
        api.refused("/v1/campaigns/" + campaign + "/activate", admin(), "", 409, "conflict");
        api.refused("/v1/campaigns/" + campaign + "/complete", admin(), "", 409, "conflict");
        api.refused("/v1/campaigns/" + campaign + "/cancel", admin(), "", 409, "conflict");
        assertThat(api.balance(fund)).isEqualTo(3000);

        // and money that arrives later still counts: the pending donation completes, the other is refunded in full
        api.ok("/v1/donations/" + pending + "/complete", admin(), "{\"method\": \"cheque\", \"reference\": \"CHQ 000123\"}");
        JsonNode afterCompletion = read("/v1/campaigns/" + campaign, admin());
        assertThat(afterCompletion.get("raised_amount").asLong()).isEqualTo(5000);
        assertThat(afterCompletion.get("donor_count").asInt()).isEqualTo(2);
        api.ok("/v1/donations/" + received + "/refund", admin(), "{\"amount\": 3000, \"reason\": \"asked by donor\"}");
        JsonNode afterRefund = read("/v1/campaigns/" + campaign, admin());
        assertThat(afterRefund.get("status").asText()).isEqualTo("cancelled");
        assertThat(afterRefund.get("raised_amount").asLong()).isEqualTo(2000);
        assertThat(afterRefund.get("donor_count").asInt()).isEqualTo(1);
        assertThat(api.balance(fund)).isEqualTo(2000);

        // a completed campaign refuses donations too
        String other = created("/v1/organisations/" + org.id() + "/campaigns", admin(),
                campaign(fund, "Autumn appeal", "1000", "GBP", null, null)).get("id").asText();
        api.refused("/v1/campaigns/" + other + "/complete", admin(), "", 409, "conflict");
        api.ok("/v1/campaigns/" + other + "/activate", admin(), "");
        assertThat(api.ok("/v1/campaigns/" + other + "/complete", admin(), "").get("status").asText()).isEqualTo("completed");
        api.refused("/v1/donations", admin(), donation(org.id(), fund, 100, "GBP", other, null, 0), 409, "conflict");
        api.refused("/v1/campaigns/" + other + "/cancel", admin(), "", 409, "conflict");
        assertThat(read("/v1/campaigns/" + other, admin()).get("raised_amount").asLong()).isZero();
        assertThat(api.balance(fund)).isEqualTo(2000);
    }

    @Test
    void aDonationIsAttributedOnlyToARunningCampaignOfItsOrganisationInItsCurrencyAndFund() throws SQLException {
        // given
        Api.Organisation org = api.organisation(admin(), "GBP");
        Api.Organisation other = api.organisation(admin(), "GBP");
        String general = org.generalFund();
        String euros = created("/v1/organisations/" + org.id() + "/funds", admin(),
                "{\"name\": \"Euro appeal\", \"type\": \"restricted\", \"currency\": \"EUR\"}").get("id").asText();
        String emergency = created("/v1/organisations/" + org.id() + "/funds", admin(),
                "{\"name\": \"Emergency\", \"type\": \"emergency\", \"currency\": \"GBP\"}").get("id").asText();
        String campaign = activeCampaign(org, "Flood relief", 20000, "GBP");
        String foreign = activeCampaign(other, "Someone else's appeal", 20000, "GBP");
        Instant now = Instant.now();
        String future = created("/v1/organisations/" + org.id() + "/campaigns", admin(),
                campaign(general, "Next year", "5000", "GBP", now.plus(Duration.ofDays(30)), now.plus(Duration.ofDays(60))))
                .get("id").asText();
        api.ok("/v1/campaigns/" + future + "/activate", admin(), ""); // may be activated before it starts
        String ended = created("/v1/organisations/" + org.id() + "/campaigns", admin(),
                campaign(general, "Last month", "5000", "GBP", now.minus(Duration.ofDays(40)), now.minus(Duration.ofDays(10))))
                .get("id").asText();
        api.refused("/v1/campaigns/" + ended + "/activate", admin(), "", 409, "conflict");

        // when / then
        assertParam(api.refused("/v1/donations", admin(), donation(org.id(), general, 100, "GBP", foreign, null, 0),
                400, "invalid_request"), "campaign_id");
        assertParam(api.refused("/v1/donations", admin(), donation(org.id(), general, 100, "GBP", "camp_doesnotexist0", null, 0),
                400, "invalid_request"), "campaign_id");
        assertParam(api.refused("/v1/donations", admin(), donation(org.id(), euros, 100, "EUR", campaign, null, 0),
                400, "invalid_request"), "campaign_id");
        assertParam(api.refused("/v1/donations", admin(), donation(org.id(), general, 100, "EUR", campaign, null, 0),
                400, "invalid_request"), "currency");
        assertParam(api.refused("/v1/donations", admin(), donation(org.id(), emergency, 100, "GBP", campaign, null, 0),
                400, "invalid_request"), "fund_id");
        api.refused("/v1/donations", admin(), donation(org.id(), general, 100, "GBP", future, null, 0), 409, "conflict");
        api.refused("/v1/donations", admin(), donation(org.id(), general, 100, "GBP", ended, null, 0), 409, "conflict");

        // nothing was written
        assertThat(api.count("SELECT count(*) FROM donations WHERE organisation_id = ?", org.id())).isZero();
        assertThat(api.balance(general)).isZero();
        assertThat(api.balance(euros)).isZero();
        assertThat(api.balance(emergency)).isZero();
        for (String id : List.of(campaign, future)) {
            assertThat(read("/v1/campaigns/" + id, admin()).get("raised_amount").asLong()).isZero();
        }
        assertThat(read("/v1/campaigns/" + foreign, admin()).get("raised_amount").asLong()).isZero();
        api.receive(admin(), org.id(), general, 1, "GBP", 0); // a marker entry, so the ledger has caught up
        assertThat(api.ledger(org.id(), c -> c.size() >= 1)).extracting(LedgerEntry::amount).containsExactly(1L);
    }

    @Test
    void onlyOwnersAndAdminsRunACampaignAndOnlyMembersOfItsOrganisationSeeIt() {
        // given
        Api.Organisation org = api.organisation(admin(), "USD");
        grant(org.id(), VIEWER_ID, "viewer");
        String campaigns = "/v1/organisations/" + org.id() + "/campaigns";
        String id = created(campaigns, admin(), campaign(org.generalFund(), "Schools", "7500", "USD", null, null))
                .get("id").asText();

        // when / then
        assertThat(read("/v1/campaigns/" + id, VIEWER).get("status").asText()).isEqualTo("draft");
        api.refused(campaigns, VIEWER, campaign(org.generalFund(), "Viewer's", "1", "USD", null, null), 403, "authorization_error");
        api.refused("/v1/campaigns/" + id + "/activate", VIEWER, "", 403, "authorization_error");
        api.refused("/v1/campaigns/" + id + "/cancel", VIEWER, "", 403, "authorization_error");
        api.refused("/v1/campaigns/" + id + "/complete", VIEWER, "", 403, "authorization_error");
        refusedRead("/v1/campaigns/" + id, OUTSIDER, 403, "authorization_error");
        api.refused(campaigns, OUTSIDER, campaign(org.generalFund(), "Outsider's", "1", "USD", null, null), 403, "authorization_error");
        api.refused("/v1/campaigns/" + id + "/activate", OUTSIDER, "", 403, "authorization_error");
        assertThat(read("/v1/campaigns/" + id, admin()).get("status").asText()).isEqualTo("draft");
        refusedRead("/v1/campaigns/camp_doesnotexist0", admin(), 404, "not_found");
        api.refused("/v1/campaigns/camp_doesnotexist0/activate", admin(), "", 404, "not_found");
    }

    @Test
    void campaignDatesTheDatabaseCannotKeepApartOrAtAllAreRefusedAsBadInput() {
        // given
        Api.Organisation org = api.organisation(admin(), "GBP");
        String campaigns = "/v1/organisations/" + org.id() + "/campaigns";
        String fund = org.generalFund();

        // when / then: a nanosecond apart (the same microsecond in PostgreSQL), and the year 300000
        assertParam(invalid(campaigns, admin(), """
                {"fund_id": "%s", "name": "Nano", "goal_amount": 100, "currency": "GBP",
                 "starts_at": "2030-01-01T00:00:00.0000001Z", "ends_at": "2030-01-01T00:00:00.0000002Z"}""".formatted(fund)),
                "ends_at");
        assertParam(invalid(campaigns, admin(), """
                {"fund_id": "%s", "name": "Far", "goal_amount": 100, "currency": "GBP", "ends_at": "+300000-01-01T00:00:00Z"}"""
                .formatted(fund)), "ends_at");
    }

    // ---------------------------------------------------------------- businesses and matching

    @Test
    void aBusinessIsRegisteredByAnySignedInUserWhoManagesItAndOnlyPlatformStaffVerifyIt() {
        // given
        JsonNode business = created("/v1/businesses", MANAGER, "{\"name\": \"Acme Ltd\", \"country\": \"GB\"}");
        String id = business.get("id").asText();
        assertThat(id).startsWith("biz_").hasSizeLessThanOrEqualTo(20);
        assertThat(business.get("name").asText()).isEqualTo("Acme Ltd");
        assertThat(business.get("country").asText()).isEqualTo("GB");
        assertThat(business.get("status").asText()).isEqualTo("pending");
        assertThat(business.get("manager_user_id").asText()).isEqualTo(MANAGER_ID);
        assertThat(isNull(business, "verified_at")).isTrue();
        assertThat(business.get("created_at").asText()).isNotBlank();

        // when / then: its manager and platform staff see it, nobody else
        assertThat(read("/v1/businesses/" + id, MANAGER).get("manager_user_id").asText()).isEqualTo(MANAGER_ID);
        assertThat(read("/v1/businesses/" + id, admin()).get("status").asText()).isEqualTo("pending");
        refusedRead("/v1/businesses/" + id, OUTSIDER, 403, "authorization_error");

        // only platform staff verify it, once
        api.refused("/v1/businesses/" + id + "/verify", MANAGER, "", 403, "authorization_error");
        api.refused("/v1/businesses/" + id + "/verify", OUTSIDER, "", 403, "authorization_error");
        assertThat(read("/v1/businesses/" + id, MANAGER).get("status").asText()).isEqualTo("pending");
        JsonNode verified = api.ok("/v1/businesses/" + id + "/verify", admin(), "");
        assertThat(verified.get("status").asText()).isEqualTo("verified");
        assertThat(isNull(verified, "verified_at")).isFalse();
        api.refused("/v1/businesses/" + id + "/verify", admin(), "", 409, "conflict");
        assertThat(read("/v1/businesses/" + id, MANAGER).get("status").asText()).isEqualTo("verified");
        refusedRead("/v1/businesses/biz_doesnotexist00", admin(), 404, "not_found");
        api.refused("/v1/businesses/biz_doesnotexist00/verify", admin(), "", 404, "not_found");
    }

    @Test
    void aManagerListsTheBusinessesTheyManageAndABusinessItsProgrammesInEveryOrganisation() {
        // given: a manager of two businesses, one of them verified and matching for two organisations
        String managerId = api.ok("/v1/users", admin(), "{\"email\": \"lists-" + System.nanoTime() + "@example.org\", \"name\": \"L\"}")
                .get("id").asText();
        String manager = api.ok("/v1/users/" + managerId + "/api-keys", admin(), "{}").get("api_key").asText();
        String matching = created("/v1/businesses", manager, "{\"name\": \"Lists Ltd\", \"country\": \"GB\"}").get("id").asText();
        String pending = created("/v1/businesses", manager, "{\"name\": \"Pending Lists\", \"country\": \"GB\"}").get("id").asText();
        api.ok("/v1/businesses/" + matching + "/verify", admin(), "");
        Api.Organisation pounds = api.organisation(admin(), "GBP");
        Api.Organisation euros = api.organisation(admin(), "EUR");
        String programmes = "/v1/businesses/" + matching + "/matching-programmes";
        String inPounds = created(programmes, manager, programme(pounds.id(), null, "100", "5000", "GBP", null, null)).get("id").asText();
        String inEuros = created(programmes, manager, programme(euros.id(), null, "50", "3000", "EUR", null, null)).get("id").asText();

        // when
        JsonNode managed = read("/v1/users/" + managerId + "/businesses", manager);
        Http.Response first = api.get(programmes + "?limit=1", manager);
        Http.Response second = api.get(programmes + "?limit=1&cursor=" + first.body().get("next_cursor").asText(), manager);

        // then: both businesses; both programmes, one a page, each in its organisation (row-level security
        // keeps a programme to its organisation; acting for the business reads its own in every one)
        assertThat(managed).extracting(b -> b.get("id").asText()).containsExactlyElementsOf(
                java.util.stream.Stream.of(matching, pending).sorted().toList());
        assertThat(managed).extracting(b -> b.get("status").asText()).contains("verified", "pending");
        assertThat(first.body().get("has_more").asBoolean()).isTrue();
        assertThat(second.body().get("has_more").asBoolean()).isFalse();
        List<JsonNode> listed = new java.util.ArrayList<>();
        first.body().get("data").forEach(listed::add);
        second.body().get("data").forEach(listed::add);
        assertThat(listed).extracting(p -> p.get("id").asText()).containsExactlyElementsOf(
                java.util.stream.Stream.of(inPounds, inEuros).sorted().toList());
        assertThat(listed).extracting(p -> p.get("organisation_id").asText() + " " + p.get("cap_amount").asLong() + " "
                + p.get("used_amount").asLong()).containsExactlyInAnyOrder(pounds.id() + " 5000 0", euros.id() + " 3000 0");
        assertThat(read(programmes, admin())).hasSize(2);
        assertThat(read("/v1/businesses/" + pending + "/matching-programmes", manager)).isEmpty();
        // and nobody else sees them
        refusedRead(programmes, OUTSIDER, 403, "authorization_error");
        refusedRead("/v1/users/" + managerId + "/businesses", OUTSIDER, 403, "authorization_error");
    }

    @Test
    void actingForABusinessOpensOnlyItsOwnProgrammesAndOnlyForReading() throws SQLException {
        // given: two businesses matching donations to one organisation
        Api.Organisation org = api.organisation(admin(), "GBP");
        String mine = verifiedBusiness("Reader Ltd");
        String theirs = verifiedBusiness("Other Ltd");
        created("/v1/businesses/" + mine + "/matching-programmes", MANAGER, programme(org.id(), null, "100", "5000", "GBP", null, null));
        created("/v1/businesses/" + theirs + "/matching-programmes", MANAGER, programme(org.id(), null, "100", "5000", "GBP", null, null));

        try (java.sql.Connection app = stack.app()) {
            app.setAutoCommit(false);
            // when: the application's role acts for the first business, with no organisation's context
            try (java.sql.PreparedStatement act = app.prepareStatement("SELECT amply_set_business(?)")) {
                act.setString(1, mine);
                act.executeQuery().close();
            }

            // then: it reads that business's programme only, and can change none
            try (java.sql.Statement statement = app.createStatement();
                 java.sql.ResultSet rs = statement.executeQuery("SELECT business_id FROM matching_programmes")) {
                List<String> visible = new java.util.ArrayList<>();
                while (rs.next()) {
                    visible.add(rs.getString(1));
                }
                assertThat(visible).containsOnly(mine).isNotEmpty();
            }
            try (java.sql.PreparedStatement change = app.prepareStatement(
                    "UPDATE matching_programmes SET used_amount = 1 WHERE business_id = ?")) {
                change.setString(1, mine);
                assertThat(change.executeUpdate()).isZero();
            }
            app.rollback();
        }
    }

    @Test
    void anUnverifiedBusinessNeitherRunsAMatchingProgrammeNorGives() throws SQLException {
        // given: the manager owns an organisation, so may record its donations
        String business = created("/v1/businesses", MANAGER, "{\"name\": \"Pending Co\", \"country\": \"FR\"}").get("id").asText();
        Api.Organisation org = api.organisation(MANAGER, "EUR");
        String programmes = "/v1/businesses/" + business + "/matching-programmes";
        String programme = programme(org.id(), null, "100", "5000", "EUR", null, null);

        // when / then
        api.refused(programmes, MANAGER, programme, 409, "conflict");
        api.refused(programmes, admin(), programme, 409, "conflict");
        api.refused(programmes, OUTSIDER, programme, 403, "authorization_error");
        api.refused("/v1/donations", MANAGER, donation(org.id(), org.generalFund(), 1000, "EUR", null, business, 0), 409, "conflict");
        api.refused("/v1/donations", admin(), donation(org.id(), org.generalFund(), 1000, "EUR", null, business, 0), 409, "conflict");
        assertParam(api.refused("/v1/donations", admin(),
                donation(org.id(), org.generalFund(), 1000, "EUR", null, "biz_doesnotexist00", 0), 400, "invalid_request"),
                "business_id");

        // nothing was written
        assertThat(api.count("SELECT count(*) FROM matching_programmes WHERE business_id = ?", business)).isZero();
        assertThat(api.count("SELECT count(*) FROM donations WHERE organisation_id = ?", org.id())).isZero();
        assertThat(api.balance(org.generalFund())).isZero();
        assertThat(read("/v1/businesses/" + business, MANAGER).get("status").asText()).isEqualTo("pending");
    }

    @Test
    void aVerifiedBusinessGivesOnlyThroughItsManagerOrStaffAndDoesNotMatchItsOwnGift() {
        // given: a verified business with a 1:1 programme for the manager's own organisation
        String business = verifiedBusiness("Giving Co");
        Api.Organisation org = api.organisation(MANAGER, "GBP");
        grant(org.id(), OUTSIDER_ID, "finance", MANAGER);
        String programme = api.acceptedProgramme(business, MANAGER,
                programme(org.id(), null, "100", "10000", "GBP", null, null)).get("id").asText();
        // (a programme for an organisation that does not exist names the body's member, as a transfer's does)
        assertParam(api.refused("/v1/businesses/" + business + "/matching-programmes", MANAGER,
                programme("org_doesnotexist0", null, "100", "10000", "GBP", null, null), 400, "invalid_request"), "organisation_id");

        // when
        api.refused("/v1/donations", OUTSIDER, donation(org.id(), org.generalFund(), 500, "GBP", null, business, 0),
                403, "authorization_error");
        String gift = api.ok("/v1/donations", MANAGER, donation(org.id(), org.generalFund(), 2500, "GBP", null, business, 0))
                .get("id").asText();

        // then: the gift arrives, attributed to the business, and is not matched
        assertThat(api.balance(org.generalFund())).isEqualTo(2500);
        assertThat(read("/v1/businesses/" + business + "/matching-programmes/" + programme, MANAGER).get("used_amount").asLong())
                .isZero();
        api.receive(admin(), org.id(), org.generalFund(), 1, "GBP", 0); // a marker entry, matched 1:1
        List<LedgerEntry> chain = api.ledger(org.id(), c -> c.size() >= 3);
        assertThat(chain).extracting(LedgerEntry::amount).containsExactly(2500L, 1L, 1L);
        assertThat(chain.get(0).metadata().get("donation_id").asText()).isEqualTo(gift);
        assertThat(chain.get(0).metadata().get("business_id").asText()).isEqualTo(business);
        assertThat(chain.get(0).metadata().get("payment_method").asText()).isEqualTo("bank_transfer");
        assertThat(chain.get(2).metadata().get("payment_method").asText()).isEqualTo("matching");
    }

    @Test
    void aPledgePaidAfterItsFundClosedIsBookedButNotMatched() {
        // given: an organisation-wide 1:1 programme, and a pledge to a fund that then closes
        String business = verifiedBusiness("Late Match Co");
        Api.Organisation org = api.organisation(admin(), "GBP");
        String programme = api.acceptedProgramme(business, MANAGER,
                programme(org.id(), null, "100", "10000", "GBP", null, null)).get("id").asText();
        String fund = api.ok("/v1/organisations/" + org.id() + "/funds", admin(),
                "{\"name\": \"Appeal 2025\", \"type\": \"project\", \"currency\": \"GBP\"}").get("id").asText();
        String pledge = api.ok("/v1/donations", admin(), """
                {"organisation_id": "%s", "fund_id": "%s", "amount": 800, "currency": "GBP"}""".formatted(org.id(), fund))
                .get("id").asText();
        api.ok("/v1/funds/" + fund + "/close", admin(), "");

        // when: the pledged money arrives
        api.ok("/v1/donations/" + pledge + "/complete", admin(), "{\"method\": \"bank_transfer\", \"reference\": \"BACS 12\"}");

        // then: booked where it was given, with no business money after it; the programme matches an open fund's still
        assertThat(api.balance(fund)).isEqualTo(800);
        assertThat(read("/v1/businesses/" + business + "/matching-programmes/" + programme, MANAGER).get("used_amount").asLong())
                .isZero();
        api.receive(admin(), org.id(), org.generalFund(), 300, "GBP", 0);
        assertThat(read("/v1/businesses/" + business + "/matching-programmes/" + programme, MANAGER).get("used_amount").asLong())
                .isEqualTo(300);
        assertThat(api.balance(org.generalFund())).isEqualTo(600);
    }

    @Test
    void aOneToOneMatchingProgrammeMatchesEachDonationUntilItsCapIsUsedAndNeverBeyond() {
        // given
        String business = verifiedBusiness("Match Corp");
        Api.Organisation org = api.organisation(admin(), "GBP");
        grant(org.id(), VIEWER_ID, "viewer");
        JsonNode programme = created("/v1/businesses/" + business + "/matching-programmes", MANAGER,
                programme(org.id(), null, "100", "5000", "GBP", null, null));
        String programmeId = programme.get("id").asText();
        assertThat(programmeId).startsWith("mp_").hasSizeLessThanOrEqualTo(20);
        assertThat(programme.get("business_id").asText()).isEqualTo(business);
        assertThat(programme.get("organisation_id").asText()).isEqualTo(org.id());
        assertThat(isNull(programme, "campaign_id")).isTrue();
        assertThat(programme.get("ratio_percent").asInt()).isEqualTo(100);
        assertThat(programme.get("cap_amount").asLong()).isEqualTo(5000);
        assertThat(programme.get("used_amount").asLong()).isZero();
        assertThat(programme.get("currency").asText()).isEqualTo("GBP");
        assertThat(isNull(programme, "starts_at")).isTrue();
        assertThat(isNull(programme, "ends_at")).isTrue();
        assertThat(programme.get("created_at").asText()).isNotBlank();
        assertThat(programme.get("status").asText()).isEqualTo("proposed");
        assertThat(api.ok("/v1/matching-programmes/" + programme.get("id").asText() + "/accept", admin(), "")
                .get("status").asText()).isEqualTo("active");

        // when: 3,000 + 4,000 + 1,000 given against a cap of 5,000
        String first = api.receive(admin(), org.id(), org.generalFund(), 3000, "GBP", 50).get("id").asText();
        String second = api.receive(admin(), org.id(), org.generalFund(), 4000, "GBP", 0).get("id").asText();
        String third = api.receive(admin(), org.id(), org.generalFund(), 1000, "GBP", 0).get("id").asText();

        // then: 3,000 and 2,000 matched, then nothing
        String path = "/v1/businesses/" + business + "/matching-programmes/" + programmeId;
        assertThat(read(path, MANAGER).get("used_amount").asLong()).isEqualTo(5000);
        assertThat(read(path, admin()).get("used_amount").asLong()).isEqualTo(5000);
        assertThat(read(path, VIEWER).get("used_amount").asLong()).isEqualTo(5000);
        refusedRead(path, OUTSIDER, 403, "authorization_error");
        String otherBusiness = verifiedBusiness("Match Corp Two");
        refusedRead("/v1/businesses/" + otherBusiness + "/matching-programmes/" + programmeId, MANAGER, 404, "not_found");
        // in the same words as a programme that does not exist: another business's programmes are not told apart
        String foreign = api.get("/v1/businesses/" + otherBusiness + "/matching-programmes/" + programmeId, MANAGER)
                .body().at("/error/message").asText();
        String none = api.get("/v1/businesses/" + otherBusiness + "/matching-programmes/mp_doesnotexist0", MANAGER)
                .body().at("/error/message").asText();
        assertThat(foreign.replace(programmeId, "mp_…")).isEqualTo(none.replace("mp_doesnotexist0", "mp_…"));
        assertThat(api.balance(org.generalFund())).isEqualTo(3000 - 50 + 3000 + 4000 + 2000 + 1000);

        List<LedgerEntry> received = api.ledger(org.id(), c -> received(c).size() >= 5).stream()
                .filter(e -> e.type().equals("donation_received")).toList();
        List<LedgerEntry> matches = received.stream()
                .filter(e -> "matching".equals(e.metadata().path("payment_method").asText())).toList();
        List<LedgerEntry> gifts = received.stream()
                .filter(e -> !"matching".equals(e.metadata().path("payment_method").asText())).toList();
        assertThat(received).hasSize(5);
        assertThat(gifts).extracting(e -> e.metadata().get("donation_id").asText()).containsExactly(first, second, third);
        assertThat(gifts).allSatisfy(e -> assertThat(e.metadata().has("business_id")).isFalse());
        assertThat(matches).extracting(LedgerEntry::amount).containsExactlyInAnyOrder(3000L, 2000L);
        assertThat(matches.stream().mapToLong(LedgerEntry::amount).sum()).isEqualTo(5000);
        assertThat(matches).allSatisfy(match -> {
            assertThat(match.metadata().get("business_id").asText()).isEqualTo(business);
            assertThat(match.metadata().get("fund_id").asText()).isEqualTo(org.generalFund());
            assertThat(match.metadata().get("donation_id").asText()).startsWith("don_").isNotIn(first, second, third);
            assertThat(match.metadata().has("campaign_id")).isFalse();
        });
    }

    @Test
    void aDonationsMatchesAreAppliedInTheBusinessesOrderWhicheverProgrammeIsOlder() {
        // given: two businesses matching in one organisation, the later business's programme made first (ids in
        // their bytes' order, as the query sorts them, whatever the database's collation)
        List<String> businesses = java.util.stream.Stream.of(verifiedBusiness("Order One"), verifiedBusiness("Order Two"))
                .sorted().toList();
        Api.Organisation org = api.organisation(admin(), "GBP");
        api.acceptedProgramme(businesses.get(1), MANAGER, programme(org.id(), null, "100", "5000", "GBP", null, null));
        api.acceptedProgramme(businesses.get(0), MANAGER, programme(org.id(), null, "50", "5000", "GBP", null, null));

        // when
        api.receive(admin(), org.id(), org.generalFund(), 1000, "GBP", 0);

        // then: the matches in business order, so every batch takes the businesses' locks in one order (oldest
        // programme first, as until the twenty-eighth session, let two batches of organisations whose programmes
        // were made in opposite orders each hold one business and wait for the other: a deadlock, then a retry)
        List<LedgerEntry> matches = received(api.ledger(org.id(), c -> received(c).size() >= 3)).stream()
                .filter(e -> "matching".equals(e.metadata().path("payment_method").asText())).toList();
        assertThat(matches).extracting(e -> e.metadata().get("business_id").asText()).containsExactlyElementsOf(businesses);
        assertThat(matches).extracting(LedgerEntry::amount).containsExactly(500L, 1000L);
    }

    @Test
    void aProgrammeMatchesOnlyOnceItsOrganisationsOwnerOrAdminAcceptedItAndNothingAfterItIsDeclined() throws SQLException {
        // given: a business proposes 1:1 to an organisation where the outsider is an admin and the viewer a viewer
        String business = verifiedBusiness("Consent Co");
        Api.Organisation org = api.organisation(admin(), "GBP");
        Api.Organisation other = api.organisation(admin(), "GBP");
        grant(org.id(), OUTSIDER_ID, "admin");
        grant(org.id(), VIEWER_ID, "viewer");
        JsonNode proposed = created("/v1/businesses/" + business + "/matching-programmes", MANAGER,
                programme(org.id(), null, "100", "10000", "GBP", null, null));
        String id = proposed.get("id").asText();
        String accept = "/v1/matching-programmes/" + id + "/accept";
        String decline = "/v1/matching-programmes/" + id + "/decline";
        String state = "/v1/businesses/" + business + "/matching-programmes/" + id;
        assertThat(proposed.get("status").asText()).isEqualTo("proposed");
        assertThat(isNull(proposed, "decided_at")).isTrue();
        assertThat(isNull(proposed, "decided_by")).isTrue();

        // when: a donation before the organisation decided
        api.receive(admin(), org.id(), org.generalFund(), 1000, "GBP", 0);

        // then: not matched; the organisation's members see the proposal, nobody else does
        assertThat(read(state, MANAGER).get("used_amount").asLong()).isZero();
        assertThat(read("/v1/organisations/" + org.id() + "/matching-programmes", VIEWER))
                .extracting(p -> p.get("id").asText() + " " + p.get("status").asText()).containsExactly(id + " proposed");
        assertThat(read("/v1/organisations/" + other.id() + "/matching-programmes", admin())).isEmpty();
        refusedRead("/v1/organisations/" + org.id() + "/matching-programmes", MANAGER, 403, "authorization_error");
        // and neither the viewer, nor the business's manager, nor an organisation's admin elsewhere decides for it
        api.refused(accept, VIEWER, "", 403, "authorization_error");
        api.refused(accept, MANAGER, "", 403, "authorization_error");
        grant(other.id(), MANAGER_ID, "admin");
        api.refused(accept, MANAGER, "", 403, "authorization_error");
        api.refused(decline, MANAGER, "", 403, "authorization_error");
        api.refused("/v1/matching-programmes/mp_doesnotexist0/accept", OUTSIDER, "", 404, "not_found");
        api.refused("/v1/matching-programmes/" + org.generalFund() + "/accept", OUTSIDER, "", 404, "not_found");
        assertThat(read(state, MANAGER).get("status").asText()).isEqualTo("proposed");

        // when: the organisation's admin accepts it, and a donation follows
        JsonNode accepted = api.ok(accept, OUTSIDER, "");
        api.refused(accept, OUTSIDER, "", 409, "conflict");
        api.receive(admin(), org.id(), org.generalFund(), 2000, "GBP", 0);

        // then: matched from then on
        assertThat(accepted.get("status").asText()).isEqualTo("active");
        assertThat(accepted.get("decided_by").asText()).isEqualTo(OUTSIDER_ID);
        assertThat(Instant.parse(accepted.get("decided_at").asText())).isAfter(Instant.parse(proposed.get("created_at").asText()));
        assertThat(read(state, MANAGER).get("used_amount").asLong()).isEqualTo(2000);
        assertThat(api.balance(org.generalFund())).isEqualTo(1000 + 2000 + 2000);

        // when: it declines it, and another donation follows
        JsonNode declined = api.ok(decline, OUTSIDER, "");
        api.receive(admin(), org.id(), org.generalFund(), 500, "GBP", 0);

        // then: no more matches; a declined programme is neither accepted nor declined again
        assertThat(declined.get("status").asText()).isEqualTo("declined");
        assertThat(read(state, MANAGER).get("used_amount").asLong()).isEqualTo(2000);
        assertThat(api.balance(org.generalFund())).isEqualTo(1000 + 2000 + 2000 + 500);
        api.refused(accept, OUTSIDER, "", 409, "conflict");
        api.refused(decline, OUTSIDER, "", 409, "conflict");
        List<LedgerEntry> matches = received(api.ledger(org.id(), c -> received(c).size() >= 4)).stream()
                .filter(e -> "matching".equals(e.metadata().path("payment_method").asText())).toList();
        assertThat(matches).extracting(LedgerEntry::amount).containsExactly(2000L);

        // and a suspended organisation may decline a proposal but not accept one
        String later = created("/v1/businesses/" + business + "/matching-programmes", MANAGER,
                programme(org.id(), null, "50", "10000", "GBP", null, null)).get("id").asText();
        api.ok("/v1/organisations/" + org.id() + "/suspend", admin(), "{\"reason\": \"under review\"}");
        api.refused("/v1/matching-programmes/" + later + "/accept", OUTSIDER, "", 409, "conflict");
        assertThat(api.ok("/v1/matching-programmes/" + later + "/decline", OUTSIDER, "").get("status").asText())
                .isEqualTo("declined");
        assertThat(api.count("SELECT count(*) FROM matching_programmes WHERE organisation_id = ? AND status = 'active'",
                org.id())).isZero();
    }

    @Test
    void aProgrammeForOneCampaignMatchesOnlyItsDonationsAtItsRatioRoundedDown() {
        // given: 1:2 on one campaign
        String business = verifiedBusiness("Half Match Ltd");
        Api.Organisation org = api.organisation(admin(), "GBP");
        String campaign = activeCampaign(org, "Matched appeal", 100000, "GBP");
        JsonNode programme = api.acceptedProgramme(business, admin(),
                programme(org.id(), campaign, "50", "100000", "GBP", null, null));
        assertThat(programme.get("campaign_id").asText()).isEqualTo(campaign);
        assertThat(programme.get("ratio_percent").asInt()).isEqualTo(50);

        // when
        api.ok("/v1/donations", admin(), donation(org.id(), org.generalFund(), 1001, "GBP", campaign, null, 0));
        api.receive(admin(), org.id(), org.generalFund(), 2000, "GBP", 0); // not to the campaign: not matched

        // then: 500 matched into the campaign
        assertThat(read("/v1/businesses/" + business + "/matching-programmes/" + programme.get("id").asText(), MANAGER)
                .get("used_amount").asLong()).isEqualTo(500);
        JsonNode view = read("/v1/campaigns/" + campaign, admin());
        assertThat(view.get("raised_amount").asLong()).isEqualTo(1001 + 500);
        assertThat(view.get("donor_count").asInt()).isEqualTo(2);
        assertThat(api.balance(org.generalFund())).isEqualTo(1001 + 500 + 2000);
        List<LedgerEntry> matches = received(api.ledger(org.id(), c -> received(c).size() >= 3)).stream()
                .filter(e -> "matching".equals(e.metadata().path("payment_method").asText())).toList();
        assertThat(matches).hasSize(1);
        assertThat(matches.get(0).amount()).isEqualTo(500);
        assertThat(matches.get(0).metadata().get("campaign_id").asText()).isEqualTo(campaign);
        assertThat(matches.get(0).metadata().get("business_id").asText()).isEqualTo(business);
    }

    @Test
    void aCampaignProgrammeNeedsACampaignOfTheOrganisationStillOpenAndInTheProgrammesCurrency() throws SQLException {
        // given
        String business = verifiedBusiness("Picky Co");
        Api.Organisation org = api.organisation(admin(), "GBP");
        Api.Organisation other = api.organisation(admin(), "GBP");
        String open = activeCampaign(org, "Open", 1000, "GBP");
        String cancelled = activeCampaign(org, "Cancelled", 1000, "GBP");
        api.ok("/v1/campaigns/" + cancelled + "/cancel", admin(), "");
        String completed = activeCampaign(org, "Completed", 1000, "GBP");
        api.ok("/v1/campaigns/" + completed + "/complete", admin(), "");
        String foreign = activeCampaign(other, "Foreign", 1000, "GBP");
        String programmes = "/v1/businesses/" + business + "/matching-programmes";

        // when / then
        api.refused(programmes, MANAGER, programme(org.id(), cancelled, "100", "1000", "GBP", null, null), 409, "conflict");
        api.refused(programmes, MANAGER, programme(org.id(), completed, "100", "1000", "GBP", null, null), 409, "conflict");
        assertParam(api.refused(programmes, MANAGER, programme(org.id(), foreign, "100", "1000", "GBP", null, null),
                400, "invalid_request"), "campaign_id");
        assertParam(api.refused(programmes, MANAGER, programme(org.id(), open, "100", "1000", "EUR", null, null),
                400, "invalid_request"), "currency");
        assertThat(api.count("SELECT count(*) FROM matching_programmes WHERE business_id = ?", business)).isZero();
        JsonNode started = created(programmes, MANAGER, programme(org.id(), open, "100", "1000", "GBP", null, null));
        assertThat(started.get("campaign_id").asText()).isEqualTo(open);
        assertThat(api.count("SELECT count(*) FROM matching_programmes WHERE business_id = ?", business)).isEqualTo(1);
    }

    @Test
    void aDraftCampaignIsNoCampaignToABusinessOutsideItsOrganisation() throws SQLException {
        // given: a draft campaign, whose id the business's manager (no role in the organisation) somehow holds
        String business = verifiedBusiness("Curious Co");
        Api.Organisation org = api.organisation(admin(), "GBP");
        String draft = created("/v1/organisations/" + org.id() + "/campaigns", admin(),
                campaign(org.generalFund(), "Not announced", "1000", "GBP", null, null)).get("id").asText();
        String unknown = "camp_" + "0".repeat(15);
        String programmes = "/v1/businesses/" + business + "/matching-programmes";

        // when: it proposes a programme for it, in the wrong currency too, and for an id nobody made
        JsonNode forDraft = api.refused(programmes, MANAGER, programme(org.id(), draft, "100", "1000", "EUR", null, null),
                400, "invalid_request");
        JsonNode forUnknown = api.refused(programmes, MANAGER, programme(org.id(), unknown, "100", "1000", "EUR", null, null),
                400, "invalid_request");

        // then: the same answer as for a campaign that does not exist, neither its status nor its currency told
        assertParam(forDraft, "campaign_id");
        assertThat(forDraft.get("message").asText()).isEqualTo(forUnknown.get("message").asText().replace(unknown, draft));
        assertThat(api.count("SELECT count(*) FROM matching_programmes WHERE business_id = ?", business)).isZero();
        // platform staff, inside every organisation, may propose one for the draft
        assertThat(created(programmes, admin(), programme(org.id(), draft, "100", "1000", "GBP", null, null))
                .get("campaign_id").asText()).isEqualTo(draft);
    }

    @Test
    void aSuspendedOrganisationGetsNoNewProjectCampaignOrMatchingProgramme() throws SQLException {
        // given
        String business = verifiedBusiness("Careful Co");
        Api.Organisation org = api.organisation(admin(), "CHF");
        String draft = created("/v1/organisations/" + org.id() + "/campaigns", admin(),
                campaign(org.generalFund(), "Drafted before", "1000", "CHF", null, null)).get("id").asText();
        api.ok("/v1/organisations/" + org.id() + "/suspend", admin(), "{\"reason\": \"under review\"}");

        // when / then
        api.refused("/v1/organisations/" + org.id() + "/projects", admin(), project(org.generalFund(), "P", "1", "CHF"), 409, "conflict");
        api.refused("/v1/organisations/" + org.id() + "/campaigns", admin(),
                campaign(org.generalFund(), "C", "1", "CHF", null, null), 409, "conflict");
        api.refused("/v1/campaigns/" + draft + "/activate", admin(), "", 409, "conflict");
        api.refused("/v1/businesses/" + business + "/matching-programmes", MANAGER,
                programme(org.id(), null, "100", "1000", "CHF", null, null), 409, "conflict");
        assertThat(api.count("SELECT count(*) FROM projects WHERE organisation_id = ?", org.id())).isZero();
        assertThat(api.count("SELECT count(*) FROM campaigns WHERE organisation_id = ?", org.id())).isEqualTo(1);
        assertThat(api.count("SELECT count(*) FROM matching_programmes WHERE organisation_id = ?", org.id())).isZero();
        assertThat(read("/v1/campaigns/" + draft, admin()).get("status").asText()).isEqualTo("draft");

        // reinstated, it may again
        api.ok("/v1/organisations/" + org.id() + "/reinstate", admin(), "");
        created("/v1/businesses/" + business + "/matching-programmes", MANAGER,
                programme(org.id(), null, "100", "1000", "CHF", null, null));
        assertThat(api.ok("/v1/campaigns/" + draft + "/activate", admin(), "").get("status").asText()).isEqualTo("active");
    }

    // ---------------------------------------------------------------- bad input

    @Test
    void badInputToProjectsCampaignsBusinessesAndProgrammesNamesTheParameterAndWritesNothing() throws SQLException {
        // given
        Api.Organisation org = api.organisation(admin(), "GBP");
        Api.Organisation other = api.organisation(admin(), "GBP");
        String fund = org.generalFund();
        String projects = "/v1/organisations/" + org.id() + "/projects";
        String campaigns = "/v1/organisations/" + org.id() + "/campaigns";
        String business = verifiedBusiness("Strict Ltd");
        String programmes = "/v1/businesses/" + business + "/matching-programmes";
        String foreignCampaign = activeCampaign(other, "Foreign", 1000, "GBP");
        String tooLong = "n".repeat(201);
        Instant starts = Instant.parse("2026-06-01T00:00:00Z");
        Instant before = Instant.parse("2026-05-01T00:00:00Z");

        // when / then: projects
        assertParam(invalid(projects, admin(), project(fund, "Roof", "-1", "GBP")), "budget_amount");
        assertParam(invalid(projects, admin(), project(fund, "Roof", "12.5", "GBP")), "budget_amount");
        assertParam(invalid(projects, admin(), project(fund, "Roof", "\"lots\"", "GBP")), "budget_amount");
        assertParam(invalid(projects, admin(), project(fund, "Roof", "9007199254740992", "GBP")), "budget_amount");
        assertParam(invalid(projects, admin(), project(fund, "Roof", "100", "XYZ")), "currency");
        assertParam(invalid(projects, admin(), project(fund, "Roof", "100", "EUR")), "currency");
        assertParam(invalid(projects, admin(), project(fund, tooLong, "100", "GBP")), "name");
        assertParam(invalid(projects, admin(), project(fund, "Bad\\u0007Name", "100", "GBP")), "name");
        assertParam(invalid(projects, admin(), project(other.generalFund(), "Roof", "100", "GBP")), "fund_id");
        assertParam(invalid(projects, admin(), "{\"name\": \"Roof\", \"budget_amount\": 100, \"currency\": \"GBP\"}"), "fund_id");

        // campaigns
        assertParam(invalid(campaigns, admin(), campaign(fund, "Appeal", "-100", "GBP", null, null)), "goal_amount");
        assertParam(invalid(campaigns, admin(), campaign(fund, "Appeal", "0", "GBP", null, null)), "goal_amount");
        assertParam(invalid(campaigns, admin(), campaign(fund, "Appeal", "1000", "ABC", null, null)), "currency");
        assertParam(invalid(campaigns, admin(), campaign(fund, "Appeal", "1000", "USD", null, null)), "currency");
        assertParam(invalid(campaigns, admin(), campaign(fund, tooLong, "1000", "GBP", null, null)), "name");
        assertParam(invalid(campaigns, admin(), campaign(fund, "Appeal", "1000", "GBP", starts, before)), "ends_at");
        assertParam(invalid(campaigns, admin(), campaign(fund, "Appeal", "1000", "GBP", starts, starts)), "ends_at");
        assertParam(invalid(campaigns, admin(), """
                {"fund_id": "%s", "name": "Appeal", "goal_amount": 1000, "currency": "GBP", "starts_at": "next tuesday"}"""
                .formatted(fund)), "starts_at");
        assertParam(invalid(campaigns, admin(), campaign(other.generalFund(), "Appeal", "1000", "GBP", null, null)), "fund_id");

        // businesses
        long businessesBefore = api.count("SELECT count(*) FROM businesses WHERE manager_user_id = ?", MANAGER_ID);
        assertParam(invalid("/v1/businesses", MANAGER, "{\"name\": \"" + tooLong + "\", \"country\": \"GB\"}"), "name");
        assertParam(invalid("/v1/businesses", MANAGER, "{\"country\": \"GB\"}"), "name");
        assertParam(invalid("/v1/businesses", MANAGER, "{\"name\": \"Acme\", \"country\": \"Britain\"}"), "country");
        assertParam(invalid("/v1/businesses", MANAGER, "{\"name\": \"Acme\", \"country\": \"gb\"}"), "country");

        // matching programmes
        assertParam(invalid(programmes, MANAGER, programme(org.id(), null, "100", "-1", "GBP", null, null)), "cap_amount");
        assertParam(invalid(programmes, MANAGER, programme(org.id(), null, "100", "0", "GBP", null, null)), "cap_amount");
        assertParam(invalid(programmes, MANAGER, programme(org.id(), null, "0", "1000", "GBP", null, null)), "ratio_percent");
        assertParam(invalid(programmes, MANAGER, programme(org.id(), null, "1001", "1000", "GBP", null, null)), "ratio_percent");
        assertParam(invalid(programmes, MANAGER, programme(org.id(), null, "100", "1000", "XYZ", null, null)), "currency");
        assertParam(invalid(programmes, MANAGER, programme(org.id(), null, "100", "1000", "GBP", starts, before)), "ends_at");
        assertParam(invalid(programmes, MANAGER, programme(org.id(), foreignCampaign, "100", "1000", "GBP", null, null)),
                "campaign_id");

        // nothing was written
        assertThat(api.count("SELECT count(*) FROM projects WHERE organisation_id = ?", org.id())).isZero();
        assertThat(api.count("SELECT count(*) FROM campaigns WHERE organisation_id = ?", org.id())).isZero();
        assertThat(api.count("SELECT count(*) FROM matching_programmes WHERE organisation_id = ?", org.id())).isZero();
        assertThat(api.count("SELECT count(*) FROM matching_programmes WHERE business_id = ?", business)).isZero();
        assertThat(api.count("SELECT count(*) FROM businesses WHERE manager_user_id = ?", MANAGER_ID)).isEqualTo(businessesBefore);
        assertThat(api.chain(org.id())).isEmpty();
        assertThat(api.balance(fund)).isZero();
    }

    // ---------------------------------------------------------------- helpers

    /** Posts and expects 201 Created; returns {@code data}. */
    private static JsonNode created(String path, String apiKey, String body) {
        Http.Response response = api.post(path, apiKey, body);
        assertThat(response.status()).as(path + " " + body + " → " + response.body()).isEqualTo(201);
        return response.body().get("data");
    }

    private static JsonNode invalid(String path, String apiKey, String body) {
        return api.refused(path, apiKey, body, 400, "invalid_request");
    }

    /** GETs and expects 200; returns {@code data}. */
    private static JsonNode read(String path, String apiKey) {
        Http.Response response = api.get(path, apiKey);
        assertThat(response.status()).as(path + " → " + response.body()).isEqualTo(200);
        return response.body().get("data");
    }

    private static void refusedRead(String path, String apiKey, int status, String code) {
        Http.Response response = api.get(path, apiKey);
        assertThat(response.status()).as(path + " → " + response.body()).isEqualTo(status);
        assertThat(response.body().get("error").get("code").asText()).isEqualTo(code);
    }

    private static void assertParam(JsonNode error, String param) {
        assertThat(error.get("param").asText()).as(error.toString()).isEqualTo(param);
    }

    private static boolean isNull(JsonNode data, String member) {
        JsonNode value = data.get(member);
        return value == null || value.isNull();
    }

    private static void grant(String org, String userId, String role) {
        api.grant(org, userId, role);
    }

    private static void grant(String org, String userId, String role, String as) {
        api.ok("/v1/organisations/" + org + "/memberships", as, "{\"user_id\": \"" + userId + "\", \"role\": \"" + role + "\"}");
    }

    private static String activeCampaign(Api.Organisation org, String name, long goal, String currency) {
        String id = created("/v1/organisations/" + org.id() + "/campaigns", admin(),
                campaign(org.generalFund(), name, String.valueOf(goal), currency, null, null)).get("id").asText();
        api.ok("/v1/campaigns/" + id + "/activate", admin(), "");
        return id;
    }

    /** A business registered by {@link #MANAGER} and verified by platform staff. */
    private static String verifiedBusiness(String name) {
        String id = created("/v1/businesses", MANAGER, "{\"name\": \"" + name + "\", \"country\": \"GB\"}").get("id").asText();
        api.ok("/v1/businesses/" + id + "/verify", admin(), "");
        return id;
    }

    private static List<LedgerEntry> received(List<LedgerEntry> chain) {
        return chain.stream().filter(e -> "donation_received".equals(e.type())).toList();
    }

    private static String project(String fund, String name, String budget, String currency) {
        return """
                {"fund_id": "%s", "name": "%s", "budget_amount": %s, "currency": "%s"}"""
                .formatted(fund, name, budget, currency);
    }

    private static String campaign(String fund, String name, String goal, String currency, Instant startsAt, Instant endsAt) {
        return """
                {"fund_id": "%s", "name": "%s", "goal_amount": %s, "currency": "%s"%s%s}"""
                .formatted(fund, name, goal, currency, instant("starts_at", startsAt), instant("ends_at", endsAt));
    }

    private static String programme(String org, String campaign, String ratio, String cap, String currency,
                                    Instant startsAt, Instant endsAt) {
        return """
                {"organisation_id": "%s"%s, "ratio_percent": %s, "cap_amount": %s, "currency": "%s"%s%s}"""
                .formatted(org, campaign == null ? "" : ", \"campaign_id\": \"" + campaign + "\"", ratio, cap, currency,
                        instant("starts_at", startsAt), instant("ends_at", endsAt));
    }

    private static String instant(String member, Instant at) {
        return at == null ? "" : ", \"" + member + "\": \"" + at + "\"";
    }

    /** A donation whose money has arrived by bank transfer, optionally to a campaign and/or from a business. */
    private static String donation(String org, String fund, long amount, String currency, String campaign, String business,
                                   long fee) {
        return """
                {"organisation_id": "%s", "fund_id": "%s", "amount": %d, "currency": "%s"%s%s,
                 "payment": {"method": "bank_transfer", "reference": "BACS %d", "fee_amount": %d, "fee_charged_by": "bank"}}"""
                .formatted(org, fund, amount, currency,
                        campaign == null ? "" : ", \"campaign_id\": \"" + campaign + "\"",
                        business == null ? "" : ", \"business_id\": \"" + business + "\"",
                        amount, fee);
    }
}
