package io.amply.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.amply.ledger.hash.ChainVerdict;
import io.amply.ledger.hash.ChainVerifier;
import io.amply.ledger.hash.LedgerEntry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What the HTTP tests do again and again, against the running services of the {@link TestStack}. */
final class Api {

    private final TestStack stack;
    private final TestStack.Apps apps;

    Api(TestStack stack) {
        this.stack = stack;
        this.apps = stack.apps();
    }

    static String admin() {
        return TestStack.SECRETS.devApiKey();
    }

    /** The command side's URL of {@code path}. */
    String url(String path) {
        return apps.commandUrl() + path;
    }

    Http.Response post(String path, String apiKey, String body) {
        return Http.post(apps.commandUrl() + path, apiKey, body);
    }

    Http.Response get(String path, String apiKey) {
        return Http.get(apps.commandUrl() + path, apiKey);
    }

    /** Posts and expects a 2xx; returns {@code data}. */
    JsonNode ok(String path, String apiKey, String body) {
        Http.Response response = post(path, apiKey, body);
        assertThat(response.status()).as(path + " → " + response.body()).isBetween(200, 299);
        return response.body().get("data");
    }

    /** Posts and expects the given status and error code; returns the error. */
    JsonNode refused(String path, String apiKey, String body, int status, String code) {
        Http.Response response = post(path, apiKey, body);
        assertThat(response.status()).as(path + " " + body + " → " + response.body()).isEqualTo(status);
        assertThat(response.body().get("error").get("code").asText()).isEqualTo(code);
        assertThat(response.body().get("error").get("message").asText()).isNotBlank();
        return response.body().get("error");
    }

    /** A business registered and verified by a platform administrator; returns its id. */
    String verifiedBusiness(String name) {
        String business = ok("/v1/businesses", admin(), "{\"name\": \"" + name + "\", \"country\": \"GB\"}").get("id").asText();
        ok("/v1/businesses/" + business + "/verify", admin(), "");
        return business;
    }

    /**
     * A business's matching programme, proposed by {@code apiKey} with {@code body} and accepted for its
     * organisation by a platform administrator, so it matches from now on; returns the accepted programme.
     */
    JsonNode acceptedProgramme(String business, String apiKey, String body) {
        String programme = ok("/v1/businesses/" + business + "/matching-programmes", apiKey, body).get("id").asText();
        return ok("/v1/matching-programmes/" + programme + "/accept", admin(), "");
    }

    record Organisation(String id, String generalFund) {
    }

    /** A user and the secret of a key of theirs. */
    record User(String id, String key) {
    }

    /** A new user named {@code name} (an e-mail address of its own from it), with a key platform staff made for them. */
    User user(String name) {
        String id = ok("/v1/users", admin(), "{\"email\": \"" + name + "-" + System.nanoTime() + "@example.org\", \"name\": \"" + name + "\"}")
                .get("id").asText();
        return new User(id, ok("/v1/users/" + id + "/api-keys", admin(), "{}").get("api_key").asText());
    }

    /** Platform staff give the user the role in the organisation: it takes effect at once, no invitation. */
    void grant(String org, String userId, String role) {
        assertThat(ok("/v1/organisations/" + org + "/memberships", admin(),
                "{\"user_id\": \"" + userId + "\", \"role\": \"" + role + "\"}").get("status").asText()).isEqualTo("active");
    }

    Organisation organisation(String apiKey, String currency) {
        JsonNode data = ok("/v1/organisations", apiKey,
                "{\"name\": \"Test charity\", \"country\": \"GB\", \"currency\": \"" + currency + "\"}");
        return new Organisation(data.get("id").asText(), data.get("funds").get(0).get("id").asText());
    }

    /** An active campaign of the organisation's General Fund, in its currency. */
    String activeCampaign(Organisation org, String currency, long goal) {
        String id = ok("/v1/organisations/" + org.id() + "/campaigns", admin(), """
                {"fund_id": "%s", "name": "Appeal", "goal_amount": %d, "currency": "%s"}"""
                .formatted(org.generalFund(), goal, currency)).get("id").asText();
        ok("/v1/campaigns/" + id + "/activate", admin(), "");
        return id;
    }

    JsonNode receive(String apiKey, String org, String fund, long amount, String currency, long fee) {
        return ok("/v1/donations", apiKey, """
                {"organisation_id": "%s", "fund_id": "%s", "amount": %d, "currency": "%s",
                 "payment": {"method": "bank_transfer", "reference": "BACS %d", "fee_amount": %d, "fee_charged_by": "bank"}}
                """.formatted(org, fund, amount, currency, amount, fee));
    }

    long balance(String fundId) {
        return get("/v1/funds/" + fundId, admin()).body().get("data").get("balance").asLong();
    }

    /** Waits until the organisation's chain satisfies {@code until}, then checks it is valid. */
    List<LedgerEntry> ledger(String org, Predicate<List<LedgerEntry>> until) {
        List<LedgerEntry> chain = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> chain(org), until);
        ChainVerdict verdict = ChainVerifier.verify(chain);
        assertThat(verdict.valid()).as(verdict.reason()).isTrue();
        return chain;
    }

    /**
     * The organisation's ledger as {@code apiKey} reads it on the query side (from the replica, with each
     * entry's {@code note}), once it has {@code size} entries.
     */
    JsonNode membersLedger(String org, String apiKey, int size) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> Http.get(apps.queryUrl() + "/v1/organisations/" + org + "/ledger?limit=100", apiKey).body().get("data"),
                        data -> data != null && data.size() == size);
    }

    /** The public verification of the organisation's chain, as the query side answers it now (from the replica). */
    JsonNode verification(String org) {
        return Http.get(apps.queryUrl() + "/v1/public/organisations/" + org + "/ledger/verify", null).body().get("data");
    }

    /** Every event in the store, of every aggregate: unchanged across a refused request means it wrote nothing. */
    long eventCount() throws SQLException {
        return count("SELECT count(*) FROM domain_event_entry");
    }

    /** Statements run as the superuser, one after another, each committed (settings, schema changes). */
    void superuser(String... statements) throws SQLException {
        try (Connection superuser = stack.superuser(); Statement statement = superuser.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    /** A {@code count(*)} query run as the superuser (no row-level security), with string parameters. */
    long count(String sql, String... parameters) throws SQLException {
        try (Connection superuser = stack.superuser(); PreparedStatement query = superuser.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                query.setString(i + 1, parameters[i]);
            }
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    List<LedgerEntry> chain(String org) throws SQLException {
        return LedgerRowsReader.chainAsSuperuser(stack, org);
    }
}
