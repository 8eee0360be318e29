package io.amply.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A member of one organisation can do nothing to another's: every write endpoint of the command
 * side, aimed at the other organisation or at one of its resources, answers
 * {@code authorization_error}, and not one event is written.
 */
class CrossOrganisationIT {

    private static final String OWNER_OF_A = "sk_test_crossorg_owner_a_1";
    private static Api api;
    private static TestStack stack;

    @BeforeAll
    static void start() throws SQLException {
        stack = TestStack.get();
        api = new Api(stack);
        AmplyDatabase.ensureUser(stack.database, "usr_crossorga", "crossorg-a@example.org", "Owner of A", null,
                "key_crossorga", OWNER_OF_A);
    }

    @Test
    void aTransferToAnotherOrganisationWritesNoTextOfTheSendersIntoTheReceiversLedger() throws SQLException {
        // given: A with money, and B
        Api.Organisation a = api.organisation(OWNER_OF_A, "GBP");
        Api.Organisation b = api.organisation(Api.admin(), "GBP");
        api.receive(Api.admin(), a.id(), a.generalFund(), 5000, "GBP", 0);
        String transfer = """
                {"organisation_id": "%s", "from_fund_id": "%s", "to_organisation_id": "%s", "to_fund_id": "%s",
                 "amount": 100, "currency": "GBP", "visibility": "public_full"%s}""";
        long eventsBefore = api.eventCount();

        // when: A sends B money with a memo, then without one
        JsonNode refused = api.refused("/v1/transfers", OWNER_OF_A, transfer.formatted(a.id(), a.generalFund(), b.id(),
                b.generalFund(), ", \"memo\": \"Donate to us instead: example.org\""), 400, "invalid_request");
        long eventsAfterRefusal = api.eventCount();
        api.ok("/v1/transfers", OWNER_OF_A, transfer.formatted(a.id(), a.generalFund(), b.id(), b.generalFund(), ""));

        // then: the memo, which B's ledger would keep for good, is refused and nothing written; the money goes without it
        assertThat(refused.get("param").asText()).isEqualTo("memo");
        assertThat(eventsAfterRefusal).isEqualTo(eventsBefore);
        assertThat(api.balance(b.generalFund())).isEqualTo(100);
        assertThat(api.ledger(b.id(), c -> c.size() == 1).get(0).metadata().has("memo")).isFalse();
    }

    @Test
    void aMemberOfOneOrganisationCanChangeNothingOfAnother() throws SQLException {
        // given: A belongs to the caller; B (with money, a pending donation, a project, a campaign and a matching
        // programme a business proposed to it) does not
        Api.Organisation a = api.organisation(OWNER_OF_A, "GBP");
        Api.Organisation b = api.organisation(Api.admin(), "GBP");
        String received = api.receive(Api.admin(), b.id(), b.generalFund(), 5000, "GBP", 0).get("id").asText();
        String pending = api.ok("/v1/donations", Api.admin(), """
                {"organisation_id": "%s", "fund_id": "%s", "amount": 700, "currency": "GBP"}"""
                .formatted(b.id(), b.generalFund())).get("id").asText();
        String project = api.ok("/v1/organisations/" + b.id() + "/projects", Api.admin(), """
                {"fund_id": "%s", "name": "Wells", "budget_amount": 1000, "currency": "GBP"}""".formatted(b.generalFund()))
                .get("id").asText();
        String campaign = api.ok("/v1/organisations/" + b.id() + "/campaigns", Api.admin(), """
                {"fund_id": "%s", "name": "Winter", "goal_amount": 1000, "currency": "GBP"}""".formatted(b.generalFund()))
                .get("id").asText();
        String business = api.verifiedBusiness("Cross Match Ltd");
        String programme = api.ok("/v1/businesses/" + business + "/matching-programmes", Api.admin(), """
                {"organisation_id": "%s", "ratio_percent": 100, "cap_amount": 1000, "currency": "GBP"}""".formatted(b.id()))
                .get("id").asText();
        String entry = api.ledger(b.id(), c -> c.size() == 1).get(0).id();
        long eventsBefore = api.eventCount();

        // when / then: every write aimed at B
        String bId = b.id();
        String bFund = b.generalFund();
        List<String[]> posts = List.of(
                new String[]{"/v1/organisations/" + bId + "/funds", "{\"name\": \"Mine now\", \"type\": \"general\", \"currency\": \"GBP\"}"},
                new String[]{"/v1/funds/" + bFund + "/close", ""},
                new String[]{"/v1/donations", """
                        {"organisation_id": "%s", "fund_id": "%s", "amount": 100, "currency": "GBP",
                         "payment": {"method": "bank_transfer", "reference": "X", "fee_amount": 0}}""".formatted(bId, bFund)},
                new String[]{"/v1/donations/" + pending + "/complete", "{\"method\": \"bank_transfer\", \"reference\": \"X\"}"},
                new String[]{"/v1/donations/" + pending + "/fail", "{\"reason\": \"x\"}"},
                new String[]{"/v1/donations/" + received + "/refund", "{\"amount\": 100, \"reason\": \"x\"}"},
                new String[]{"/v1/donations/" + received + "/reread-stripe-refunds", ""},
                new String[]{"/v1/expenses", """
                        {"organisation_id": "%s", "fund_id": "%s", "amount": 100, "currency": "GBP", "category": "programs",
                         "recipient_type": "supplier"}""".formatted(bId, bFund)},
                new String[]{"/v1/transfers", """
                        {"organisation_id": "%s", "from_fund_id": "%s", "to_organisation_id": "%s", "to_fund_id": "%s",
                         "amount": 100, "currency": "GBP"}""".formatted(bId, bFund, a.id(), a.generalFund())},
                new String[]{"/v1/corrections", """
                        {"organisation_id": "%s", "fund_id": "%s", "kind": "reversal", "corrects_entry_id": "%s",
                         "amount": -5000, "currency": "GBP", "reason": "x"}""".formatted(bId, bFund, entry)},
                new String[]{"/v1/organisations/" + bId + "/memberships", "{\"user_id\": \"usr_crossorga\", \"role\": \"owner\"}"},
                new String[]{"/v1/organisations/" + bId + "/checkpoints", ""},
                new String[]{"/v1/organisations/" + bId + "/donor-erasures", "{\"email\": \"someone@example.org\"}"},
                new String[]{"/v1/organisations/" + bId + "/projects", """
                        {"fund_id": "%s", "name": "Mine", "budget_amount": 1, "currency": "GBP"}""".formatted(bFund)},
                new String[]{"/v1/projects/" + project + "/activate", ""},
                new String[]{"/v1/projects/" + project + "/complete", ""},
                new String[]{"/v1/projects/" + project + "/cancel", ""},
                new String[]{"/v1/organisations/" + bId + "/campaigns", """
                        {"fund_id": "%s", "name": "Mine", "goal_amount": 1, "currency": "GBP"}""".formatted(bFund)},
                new String[]{"/v1/campaigns/" + campaign + "/activate", ""},
                new String[]{"/v1/campaigns/" + campaign + "/complete", ""},
                new String[]{"/v1/campaigns/" + campaign + "/cancel", ""},
                new String[]{"/v1/matching-programmes/" + programme + "/accept", ""},
                new String[]{"/v1/matching-programmes/" + programme + "/decline", ""});
        for (String[] post : posts) {
            api.refused(post[0], OWNER_OF_A, post[1], 403, "authorization_error");
        }
        forbidden(Http.patch(api.url("/v1/organisations/" + bId), OWNER_OF_A, "{\"name\": \"Taken over\"}"));
        forbidden(Http.delete(api.url("/v1/organisations/" + bId + "/memberships/" + AmplyDatabase.DEV_ADMIN_ID), OWNER_OF_A));
        for (String read : List.of("/v1/donations/" + received, "/v1/funds/" + bFund, "/v1/projects/" + project,
                "/v1/campaigns/" + campaign, "/v1/organisations/" + bId, "/v1/organisations/" + bId + "/matching-programmes",
                "/v1/businesses/" + business + "/matching-programmes/" + programme)) {
            Http.Response refused = api.get(read, OWNER_OF_A);
            forbidden(refused);
            // an id held tells not whose it is: the refusal names no organisation the path did not
            if (!read.contains(bId)) {
                assertThat(refused.raw()).as(read).doesNotContain(bId);
            }
        }
        // nor on the query side
        Http.Response queried = Http.get(stack.apps().queryUrl() + "/v1/funds/" + bFund + "/transactions", OWNER_OF_A);
        forbidden(queried);
        assertThat(queried.raw()).doesNotContain(bId);

        // then: not one event written, and B's money where it was
        assertThat(api.eventCount()).isEqualTo(eventsBefore);
        assertThat(api.balance(bFund)).isEqualTo(5000);
        JsonNode stillPending = api.get("/v1/donations/" + pending, Api.admin()).body().get("data");
        assertThat(stillPending.get("status").asText()).isEqualTo("pending");
        assertThat(api.chain(bId)).hasSize(1);
    }

    private static void forbidden(Http.Response response) {
        assertThat(response.status()).as(response.body() == null ? "" : response.body().toString()).isEqualTo(403);
        assertThat(response.body().get("error").get("code").asText()).isEqualTo("authorization_error");
    }
}
