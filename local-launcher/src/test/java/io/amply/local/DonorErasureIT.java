package io.amply.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.amply.ledger.hash.LedgerEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A donor erased: their identity goes from the organisation's donations, with the reasons written about them, and nothing of the ledger changes. */
class DonorErasureIT {

    private static final String FINANCE = "sk_test_erasure_finance_1";
    private static Api api;
    private static TestStack stack;

    @BeforeAll
    static void start() throws SQLException {
        stack = TestStack.get();
        api = new Api(stack);
        AmplyDatabase.ensureUser(stack.database, "usr_erasurefinance", "erasure-finance@example.org", "Finance", null,
                "key_erasurefinance", FINANCE);
    }

    @Test
    void anErasedDonorIsGoneFromTheOrganisationsDonationsAndTheLedgerIsUntouched() throws SQLException {
        // given: two donations of Ada (the address in two cases), one of Grace, and one of Ada to another organisation
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        Api.Organisation other = api.organisation(Api.admin(), "GBP");
        api.ok("/v1/organisations/" + org.id() + "/memberships", Api.admin(), "{\"user_id\": \"usr_erasurefinance\", \"role\": \"finance\"}");
        String first = donate(org, "Ada Lovelace", "ada@example.org", 1000);
        String second = donate(org, "A. Lovelace", "Ada@Example.ORG", 2000);
        String grace = donate(org, "Grace Hopper", "grace@example.org", 3000);
        String elsewhere = donate(other, "Ada Lovelace", "ada@example.org", 4000);
        // and a pledge of Ada's that failed, with a reason that names her
        String pledge = api.ok("/v1/donations", Api.admin(), """
                {"organisation_id": "%s", "fund_id": "%s", "amount": 700, "currency": "GBP",
                 "donor": {"name": "Ada Lovelace", "email": "ada@example.org"}}""".formatted(org.id(), org.generalFund()))
                .get("id").asText();
        api.ok("/v1/donations/" + pledge + "/fail", Api.admin(), "{\"reason\": \"Ada Lovelace's transfer never came\"}");
        // and a refund of one of Ada's and of Grace's, each with a reason that names her
        api.ok("/v1/donations/" + second + "/refund", Api.admin(), "{\"amount\": 500, \"reason\": \"Ada Lovelace paid twice\"}");
        api.ok("/v1/donations/" + grace + "/refund", Api.admin(), "{\"amount\": 500, \"reason\": \"Grace Hopper paid twice\"}");
        api.ledger(org.id(), c -> c.size() == 5);
        List<LedgerEntry> before = api.chain(org.id());

        // when: finance may not erase; the owner does
        api.refused("/v1/organisations/" + org.id() + "/donor-erasures", FINANCE, "{\"email\": \"ada@example.org\"}",
                403, "authorization_error");
        JsonNode erased = api.ok("/v1/organisations/" + org.id() + "/donor-erasures", Api.admin(), "{\"email\": \"ADA@example.org\"}");

        // then: Ada is gone from both of this organisation's donations, and only from those
        assertThat(erased.get("donations_erased").asInt()).isEqualTo(3);
        assertThat(api.get("/v1/donations/" + pledge, Api.admin()).body().at("/data/failure_reason").isNull()).isTrue();
        // with the reason written about her donation, and only that one
        assertThat(erased.get("notes_erased").asInt()).isEqualTo(1);
        assertThat(api.count("SELECT count(*) FROM ledger_notes WHERE organisation_id = ? AND text LIKE '%Ada%'", org.id())).isZero();
        assertThat(api.count("SELECT count(*) FROM ledger_notes WHERE organisation_id = ? AND text = 'Grace Hopper paid twice'",
                org.id())).isEqualTo(1);
        assertThat(erased.toString()).doesNotContainIgnoringCase("ada@example.org");
        assertThat(donor(first)).isEqualTo("null/null");
        assertThat(donor(second)).isEqualTo("null/null");
        assertThat(donor(grace)).isEqualTo("Grace Hopper/grace@example.org");
        assertThat(donor(elsewhere)).isEqualTo("Ada Lovelace/ada@example.org");
        // the ledger is as it was, entry for entry, and still verifies
        assertThat(api.chain(org.id())).isEqualTo(before);
        // (the verification reads the replica: once it has the three entries)
        JsonNode verifiedAfter = await().atMost(Duration.ofSeconds(30))
                .until(() -> api.verification(org.id()), v -> v.get("entries_checked").asInt() == 5);
        assertThat(verifiedAfter.get("valid").asBoolean()).isTrue();
        assertThat(verifiedAfter.get("head_entry_hash").asText()).isEqualTo(before.get(4).entryHash());
        // and an address that is no e-mail address is refused
        api.refused("/v1/organisations/" + org.id() + "/donor-erasures", Api.admin(), "{\"email\": \"ada\"}", 400, "invalid_request");
    }

    @Test
    void aRefundUnderWayWhenTheDonorIsErasedHasItsReasonErasedToo() throws Exception {
        // given: a donation of Ada's, and the notes table held so that a refund's note waits to be written
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        String donation = donate(org, "Ada Lovelace", "ada.race@example.org", 3000);
        try (Connection owner = stack.owner(); Statement statement = owner.createStatement()) {
            owner.setAutoCommit(false);
            statement.execute("LOCK TABLE ledger_notes IN SHARE MODE");

            // when: a refund naming her is under way, then her erasure is asked for
            CompletableFuture<Http.Response> refund = CompletableFuture.supplyAsync(() -> api.post(
                    "/v1/donations/" + donation + "/refund", Api.admin(), "{\"amount\": 100, \"reason\": \"Ada asked\"}"));
            awaitALockWait("INSERT INTO ledger_notes");
            CompletableFuture<Http.Response> erasure = CompletableFuture.supplyAsync(() -> api.post(
                    "/v1/organisations/" + org.id() + "/donor-erasures", Api.admin(), "{\"email\": \"ada.race@example.org\"}"));
            // (it waits for the refund, which holds the donation, not for the table)
            awaitALockWait("UPDATE donations SET donor_name");
            owner.rollback();

            // then: the refund is recorded, and the erasure, which waited for it, erased its reason
            Http.Response refunded = refund.get(30, TimeUnit.SECONDS);
            Http.Response erased = erasure.get(30, TimeUnit.SECONDS);
            assertThat(refunded.status()).as(refunded.raw()).isEqualTo(200);
            assertThat(erased.status()).as(erased.raw()).isEqualTo(200);
            assertThat(erased.body().at("/data/notes_erased").asInt()).isEqualTo(1);
        }
        assertThat(api.count("SELECT count(*) FROM ledger_notes WHERE donation_id = ? AND text IS NULL", donation)).isEqualTo(1);
    }

    @Test
    void aFailuresReasonKeptWithItsIdempotencyKeyIsErasedWithTheDonor() throws SQLException {
        // given: a pledge of Ada's and one of Grace's failed, each with a reason naming her, sent with an Idempotency-Key
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        String ada = pledge(org, "ada.kept@example.org");
        String grace = pledge(org, "grace.kept@example.org");
        Http.Response failed = failWithKey(ada, "Ada Lovelace's cheque bounced");
        assertThat(failed.body().at("/data/failure_reason").asText()).isEqualTo("Ada Lovelace's cheque bounced");
        failWithKey(grace, "Grace Hopper's cheque bounced");

        // when
        api.ok("/v1/organisations/" + org.id() + "/donor-erasures", Api.admin(), "{\"email\": \"ada.kept@example.org\"}");

        // then: the same request again is answered from what was kept, without the reason
        Http.Response replay = failWithKey(ada, "Ada Lovelace's cheque bounced");
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.body().at("/data/id").asText()).isEqualTo(ada);
        assertThat(replay.body().at("/data/status").asText()).isEqualTo("failed");
        assertThat(replay.body().at("/data/failure_reason").isNull()).as(replay.raw()).isTrue();
        assertThat(api.count("SELECT count(*) FROM idempotency_keys WHERE response_body LIKE '%Lovelace%'")).isZero();
        // and another donor's kept answer is as it was
        assertThat(failWithKey(grace, "Grace Hopper's cheque bounced").body().at("/data/failure_reason").asText())
                .isEqualTo("Grace Hopper's cheque bounced");
    }

    private static String pledge(Api.Organisation org, String email) {
        return api.ok("/v1/donations", Api.admin(), """
                {"organisation_id": "%s", "fund_id": "%s", "amount": 700, "currency": "GBP", "donor": {"email": "%s"}}"""
                .formatted(org.id(), org.generalFund(), email)).get("id").asText();
    }

    private static Http.Response failWithKey(String donation, String reason) {
        return Http.post(api.url("/v1/donations/" + donation + "/fail"), Api.admin(), "{\"reason\": \"" + reason + "\"}",
                java.util.Map.of("Idempotency-Key", "fail-" + donation));
    }

    /** Until a statement starting so waits for a lock (what the test holds, or a request holds), read from the server. */
    private static void awaitALockWait(String statement) {
        await().atMost(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(20)).until(() -> api.count("""
                SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE ?""",
                "%" + statement + "%") > 0);
    }

    private static String donate(Api.Organisation org, String name, String email, long amount) {
        return api.ok("/v1/donations", Api.admin(), """
                {"organisation_id": "%s", "fund_id": "%s", "amount": %d, "currency": "GBP", "donor": {"name": "%s", "email": "%s"},
                 "payment": {"method": "bank_transfer", "reference": "BACS %d"}}"""
                .formatted(org.id(), org.generalFund(), amount, name, email, amount)).get("id").asText();
    }

    private static String donor(String donationId) throws SQLException {
        try (var connection = stack.superuser(); var query = connection.prepareStatement(
                "SELECT donor_name || '/' || donor_email, donor_name IS NULL AND donor_email IS NULL FROM donations WHERE id = ?")) {
            query.setString(1, donationId);
            try (var rows = query.executeQuery()) {
                rows.next();
                return rows.getBoolean(2) ? "null/null" : rows.getString(1);
            }
        }
    }
}
