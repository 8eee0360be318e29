package io.amply.local;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class IdempotencyIT {

    private static TestStack stack;
    private static Api api;

    @BeforeAll
    static void start() {
        stack = TestStack.get();
        api = new Api(stack);
    }

    private static String donation(Api.Organisation org, long amount) {
        return """
                {"organisation_id": "%s", "fund_id": "%s", "amount": %d, "currency": "GBP",
                 "payment": {"method": "cheque", "reference": "CHQ 1"}}""".formatted(org.id(), org.generalFund(), amount);
    }

    @Test
    void theSameKeyAndBodyReturnTheFirstResponseAndWriteNothingNew() throws SQLException {
        // given
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        Map<String, String> key = Map.of("Idempotency-Key", "donation-" + org.id());
        String url = stack.apps().commandUrl() + "/v1/donations";

        // when
        Http.Response first = Http.post(url, Api.admin(), donation(org, 700), key);
        Http.Response again = Http.post(url, Api.admin(), donation(org, 700), key);

        // then
        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.raw()).isEqualTo(first.raw());
        assertThat(again.headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(api.balance(org.generalFund())).isEqualTo(700);
        assertThat(api.ledger(org.id(), c -> c.size() == 1)).hasSize(1);
    }

    @Test
    void theSameKeyWithADifferentBodyIsAConflict() {
        // given
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        Map<String, String> key = Map.of("Idempotency-Key", "reused-" + org.id());
        String url = stack.apps().commandUrl() + "/v1/donations";
        Http.post(url, Api.admin(), donation(org, 700), key);

        // when
        Http.Response conflict = Http.post(url, Api.admin(), donation(org, 800), key);

        // then
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.body().get("error").get("code").asText()).isEqualTo("conflict");
        assertThat(api.balance(org.generalFund())).isEqualTo(700);
    }

    @Test
    void aRequestRefusedAsInvalidIsReplayedAsRefused() {
        // given: 400s are answers too; the key stays bound to them
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        Map<String, String> key = Map.of("Idempotency-Key", "invalid-" + org.id());
        String url = stack.apps().commandUrl() + "/v1/donations";
        String bad = donation(org, 700).replace("GBP", "EUR");

        // when
        Http.Response first = Http.post(url, Api.admin(), bad, key);
        Http.Response again = Http.post(url, Api.admin(), bad, key);

        // then
        assertThat(first.status()).isEqualTo(400);
        assertThat(again.raw()).isEqualTo(first.raw());
    }

    @Test
    void aKeyWhoseDonationWasRecordedIsNeverRunAgainWhenItsResponseWasLost() throws SQLException {
        // given: the donation recorded, then its response lost as if the node died before storing it,
        // and long enough ago for the claim to count as abandoned
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        String key = "lost-" + org.id();
        assertThat(donate(org, key).status()).isEqualTo(201);
        assertThat(recorded(key)).isTrue();
        abandonWithoutResponse(key, true);

        // when: the client retries
        Http.Response retry = donate(org, key);

        // then: not recorded twice
        assertThat(retry.status()).isEqualTo(409);
        assertThat(retry.body().get("error").get("message").asText()).contains("was recorded");
        assertThat(api.balance(org.generalFund())).isEqualTo(700);
        assertThat(api.ledger(org.id(), c -> c.size() == 1)).hasSize(1);
    }

    @Test
    void aKeyWhoseRequestFailedAfterItsDonationWasRecordedIsReportedRecordedAtOnce() throws SQLException {
        // given: the donation recorded, then the request answered with a server error (its key kept,
        // released by its request, no response stored)
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        String key = "failed-late-" + org.id();
        donate(org, key);
        owner("UPDATE idempotency_keys SET response_status = NULL, response_body = NULL, claim = NULL WHERE idempotency_key = ?", key);

        // when: retried at once, not two minutes later
        Http.Response retry = donate(org, key);

        // then
        assertThat(retry.status()).isEqualTo(409);
        assertThat(retry.body().get("error").get("message").asText()).contains("was recorded");
        assertThat(api.balance(org.generalFund())).isEqualTo(700);
    }

    @Test
    void aKeyAbandonedBeforeItsCommandCommittedRunsAgain() throws SQLException {
        // given: a claim left without a response and without a recorded command, as by a node that
        // died before the command committed (the donation's own events are there only because the
        // test makes the claim from a finished request)
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        String key = "abandoned-" + org.id();
        donate(org, key);
        abandonWithoutResponse(key, false);

        // when
        Http.Response retry = donate(org, key);

        // then: it ran again, and its response is stored this time
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(api.balance(org.generalFund())).isEqualTo(1400);
        assertThat(recorded(key)).isTrue();
    }

    @Test
    void aCommandThatCommitsMarksItsKeyAndOneThatIsRefusedDoesNot() throws SQLException {
        // given
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        api.receive(Api.admin(), org.id(), org.generalFund(), 500, "GBP", 0);
        String base = stack.apps().commandUrl() + "/v1";

        // when: a fund opened, and the General Fund closed while it holds money
        Http.Response opened = Http.post(base + "/organisations/" + org.id() + "/funds", Api.admin(),
                "{\"name\": \"Roof\", \"type\": \"project\", \"currency\": \"GBP\"}",
                Map.of("Idempotency-Key", "fund-" + org.id()));
        Http.Response refused = Http.post(base + "/funds/" + org.generalFund() + "/close", Api.admin(), "",
                Map.of("Idempotency-Key", "close-" + org.id()));

        // then
        assertThat(opened.status()).isEqualTo(201);
        assertThat(recorded("fund-" + org.id())).isTrue();
        assertThat(refused.status()).isEqualTo(409);
        assertThat(recorded("close-" + org.id())).isFalse();
    }

    /** A donation of 700 to the organisation's General Fund, with {@code key}. */
    private static Http.Response donate(Api.Organisation org, String key) {
        return Http.post(stack.apps().commandUrl() + "/v1/donations", Api.admin(), donation(org, 700), Map.of("Idempotency-Key", key));
    }

    private static boolean recorded(String key) throws SQLException {
        try (Connection db = stack.owner();
             PreparedStatement query = db.prepareStatement("SELECT recorded FROM idempotency_keys WHERE idempotency_key = ?")) {
            query.setString(1, key);
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).as("the key %s is stored", key).isTrue();
                return row.getBoolean(1);
            }
        }
    }

    private static void abandonWithoutResponse(String key, boolean recorded) throws SQLException {
        owner("""
                UPDATE idempotency_keys SET response_status = NULL, response_body = NULL, recorded = %s,
                       created_at = now() - interval '3 minutes'
                 WHERE idempotency_key = ?""".formatted(recorded), key);
    }

    /** Changes the one row of {@code key} as the schema's owner. */
    private static void owner(String update, String key) throws SQLException {
        try (Connection db = stack.owner(); PreparedStatement statement = db.prepareStatement(update)) {
            statement.setString(1, key);
            assertThat(statement.executeUpdate()).isEqualTo(1);
        }
    }

    @Test
    void aMalformedKeyIsRefused() {
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        Http.Response refused = Http.post(stack.apps().commandUrl() + "/v1/donations", Api.admin(), donation(org, 1),
                Map.of("Idempotency-Key", "x".repeat(256)));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().get("error").get("param").asText()).isEqualTo("Idempotency-Key");
    }
}
