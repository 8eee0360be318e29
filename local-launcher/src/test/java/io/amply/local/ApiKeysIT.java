package io.amply.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ApiKeysIT {

    private static final String STAFF = "sk_test_keys_staff_1";

    private static TestStack stack;
    private static Api api;

    @BeforeAll
    static void start() {
        stack = TestStack.get();
        api = new Api(stack);
    }

    @Test
    void aNewUsersKeyWorksUntilItIsRevoked() {
        // given
        JsonNode user = api.ok("/v1/users", Api.admin(), "{\"email\": \"keys-" + System.nanoTime() + "@example.org\", \"name\": \"K\"}");
        String userId = user.get("id").asText();
        JsonNode key = api.ok("/v1/users/" + userId + "/api-keys", Api.admin(), "{}");
        String secret = key.get("api_key").asText();

        // when
        JsonNode me = api.get("/v1/users/me", secret).body().get("data");
        Http.Response revoked = Http.delete(stack.apps().commandUrl() + "/v1/users/" + userId + "/api-keys/" + key.get("id").asText(), secret);

        // then
        assertThat(me.get("id").asText()).isEqualTo(userId);
        assertThat(revoked.status()).isEqualTo(200);
        Http.Response refused = api.get("/v1/users/me", secret);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.body().get("error").get("code").asText()).isEqualTo("authentication_error");
        api.refused("/v1/organisations", secret, "{\"name\": \"Revoked\", \"country\": \"GB\"}", 401, "authentication_error");
    }

    @Test
    void revokingAKeyRevokesTheKeysItMadeAndTheirsButNotOthers() {
        // given: a key from platform staff, which made two keys, one of which made a third; and a second staff key
        String userId = api.ok("/v1/users", Api.admin(), "{\"email\": \"tree-" + System.nanoTime() + "@example.org\", \"name\": \"T\"}")
                .get("id").asText();
        String keys = "/v1/users/" + userId + "/api-keys";
        JsonNode stolen = api.ok(keys, Api.admin(), "{}");
        JsonNode child = api.ok(keys, stolen.get("api_key").asText(), "{}");
        JsonNode grandchild = api.ok(keys, child.get("api_key").asText(), "{}");
        JsonNode sibling = api.ok(keys, stolen.get("api_key").asText(), "{}");
        JsonNode spare = api.ok(keys, Api.admin(), "{}");

        // when: the user revokes the stolen key with the spare one
        Http.Response revoked = Http.delete(api.url(keys + "/" + stolen.get("id").asText()), spare.get("api_key").asText());

        // then: it and everything made from it stop working; the spare goes on
        assertThat(revoked.status()).as(revoked.raw()).isEqualTo(200);
        assertThat(revoked.body().at("/data/also_revoked")).extracting(JsonNode::asText).containsExactlyElementsOf(
                java.util.stream.Stream.of(child, grandchild, sibling).map(k -> k.get("id").asText()).sorted().toList());
        for (JsonNode key : List.of(stolen, child, grandchild, sibling)) {
            assertThat(api.get("/v1/users/me", key.get("api_key").asText()).status()).isEqualTo(401);
        }
        assertThat(api.get("/v1/users/me", spare.get("api_key").asText()).status()).isEqualTo(200);
        assertThat(api.get(keys, spare.get("api_key").asText()).body().get("data"))
                .filteredOn(k -> !k.get("id").asText().equals(spare.get("id").asText()))
                .allSatisfy(k -> assertThat(k.get("revoked_at").isNull()).isFalse());
    }

    @Test
    void keysPlatformStaffMadeForOthersGoWithTheStaffKeyThatMadeThem() throws SQLException {
        // given: a member of platform staff whose key made a key for a user, and the user a key from that one
        AmplyDatabase.ensureUser(stack.database, "usr_keysstaff", "keys-staff@example.org", "Staff", "platform_admin",
                "key_keysstaff", STAFF);
        String userId = api.ok("/v1/users", STAFF, "{\"email\": \"issued-" + System.nanoTime() + "@example.org\", \"name\": \"I\"}")
                .get("id").asText();
        JsonNode issued = api.ok("/v1/users/" + userId + "/api-keys", STAFF, "{}");
        JsonNode derived = api.ok("/v1/users/" + userId + "/api-keys", issued.get("api_key").asText(), "{}");
        JsonNode otherStaffs = api.ok("/v1/users/" + userId + "/api-keys", Api.admin(), "{}");

        // when: the staff key is revoked (stolen, say)
        Http.Response revoked = Http.delete(api.url("/v1/users/usr_keysstaff/api-keys/key_keysstaff"), Api.admin());

        // then: the keys it made, and theirs, stop working; a key another staff key made goes on
        assertThat(revoked.status()).as(revoked.raw()).isEqualTo(200);
        assertThat(revoked.body().at("/data/also_revoked")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder(issued.get("id").asText(), derived.get("id").asText());
        assertThat(api.get("/v1/users/me", issued.get("api_key").asText()).status()).isEqualTo(401);
        assertThat(api.get("/v1/users/me", derived.get("api_key").asText()).status()).isEqualTo(401);
        assertThat(api.get("/v1/users/me", otherStaffs.get("api_key").asText()).status()).isEqualTo(200);
    }

    @Test
    void aLauncherKeyRevokedStaysRevokedWhenTheLauncherStartsAgainUntilItsSecretChanges() throws SQLException {
        // given: a key the launcher keeps (as the dev admin's), revoked
        AmplyDatabase.ensureUser(stack.database, "usr_keyslauncher", "keys-launcher@example.org", "Launcher", "platform_admin",
                "key_keyslauncher", "sk_test_keys_launcher_1");
        assertThat(Http.delete(api.url("/v1/users/usr_keyslauncher/api-keys/key_keyslauncher"), Api.admin()).status()).isEqualTo(200);

        // when: the launcher starts again with the same secret
        AmplyDatabase.ensureUser(stack.database, "usr_keyslauncher", "keys-launcher@example.org", "Launcher", "platform_admin",
                "key_keyslauncher", "sk_test_keys_launcher_1");

        // then: still revoked; a new secret is a working key
        assertThat(api.get("/v1/users/me", "sk_test_keys_launcher_1").status()).isEqualTo(401);
        AmplyDatabase.ensureUser(stack.database, "usr_keyslauncher", "keys-launcher@example.org", "Launcher", "platform_admin",
                "key_keyslauncher", "sk_test_keys_launcher_2");
        assertThat(api.get("/v1/users/me", "sk_test_keys_launcher_2").status()).isEqualTo(200);
    }

    @Test
    void aKeyMadeWhileItsMakerIsBeingRevokedIsRefusedAndNotKept() throws Exception {
        // given: a user's key, and its row locked as a revocation locks it
        String userId = api.ok("/v1/users", Api.admin(), "{\"email\": \"race-" + System.nanoTime() + "@example.org\", \"name\": \"R\"}")
                .get("id").asText();
        String keys = "/v1/users/" + userId + "/api-keys";
        JsonNode maker = api.ok(keys, Api.admin(), "{}");
        try (Connection owner = stack.owner(); Statement statement = owner.createStatement()) {
            owner.setAutoCommit(false);
            statement.executeQuery("SELECT id FROM api_keys WHERE id = '" + maker.get("id").asText() + "' FOR UPDATE").close();

            // when: the key asks for a new key meanwhile, and then the revocation commits
            CompletableFuture<Http.Response> making = CompletableFuture.supplyAsync(
                    () -> api.post(keys, maker.get("api_key").asText(), "{}"));
            awaitALockWaitOnApiKeys();
            assertThat(making).as("waits for the revocation's lock").isNotDone();
            statement.executeUpdate("UPDATE api_keys SET revoked_at = now() WHERE id = '" + maker.get("id").asText() + "'");
            owner.commit();

            // then: refused as a revoked key is, and no key made
            Http.Response made = making.get(30, TimeUnit.SECONDS);
            assertThat(made.status()).as(made.raw()).isEqualTo(401);
            assertThat(made.body().at("/error/code").asText()).isEqualTo("authentication_error");
        }
        assertThat(api.count("SELECT count(*) FROM api_keys WHERE user_id = '" + userId + "'")).isEqualTo(1);
    }

    @Test
    void aKeyMadeFromADescendantWhileTheRevocationRunsIsRevokedToo() throws Exception {
        // given: a key that made a child, and a grandchild being made from the child (its maker held FOR SHARE,
        // its row written, not committed), as a thief's creation at the moment of the revocation
        String userId = api.ok("/v1/users", Api.admin(), "{\"email\": \"late-" + System.nanoTime() + "@example.org\", \"name\": \"L\"}")
                .get("id").asText();
        String keys = "/v1/users/" + userId + "/api-keys";
        JsonNode stolen = api.ok(keys, Api.admin(), "{}");
        JsonNode child = api.ok(keys, stolen.get("api_key").asText(), "{}");
        String grandchild = "key_late" + Long.toString(System.nanoTime(), 36);
        CompletableFuture<Http.Response> revoking;
        try (Connection owner = stack.owner(); Statement statement = owner.createStatement()) {
            owner.setAutoCommit(false);
            statement.executeQuery("SELECT id FROM api_keys WHERE id = '" + child.get("id").asText() + "' FOR SHARE").close();
            statement.executeUpdate("INSERT INTO api_keys (id, user_id, secret_hash, display_hint, made_by_key_id) VALUES ('"
                    + grandchild + "', '" + userId + "', '" + "0".repeat(52) + Long.toString(System.nanoTime(), 16).substring(0, 12)
                    + "', 'sk_live_…late', '" + child.get("id").asText() + "')");

            // when: the stolen key is revoked meanwhile (its descendants' revocation waits for the child's lock)
            revoking = CompletableFuture.supplyAsync(() -> Http.delete(api.url(keys + "/" + stolen.get("id").asText()), Api.admin()));
            awaitALockWaitOnApiKeys();
            assertThat(revoking).as("waits for the child's lock").isNotDone();
            owner.commit();
        }

        // then: the grandchild, committed after the revocation began, is revoked with the rest
        Http.Response revoked = revoking.get(30, TimeUnit.SECONDS);
        assertThat(revoked.status()).as(revoked.raw()).isEqualTo(200);
        assertThat(revoked.body().at("/data/also_revoked")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder(child.get("id").asText(), grandchild);
        assertThat(api.count("SELECT count(*) FROM api_keys WHERE user_id = '" + userId + "' AND revoked_at IS NULL")).isZero();
    }

    @Test
    void anApiPathSpelledAnotherWayStillNeedsACredential() throws Exception {
        // given: paths that Spring routes to /v1/users/me and /v1/organisations, spelled with a ;parameter or an escape
        String base = stack.apps().commandUrl();
        long organisations = api.count("SELECT count(*) FROM organisations");

        // when
        Http.Response parameter = Http.get(base + "/v1;x/users/me", null);
        Http.Response escaped = Http.get(base + "/%761/users/me", null);
        Http.Response create = Http.post(base + "/v1;x/organisations", null, "{\"name\": \"Sneaked\", \"country\": \"GB\"}");

        // then: refused as any request without a credential is, and nothing written
        for (Http.Response refused : new Http.Response[]{parameter, escaped, create}) {
            assertThat(refused.status()).as(refused.raw()).isEqualTo(401);
            assertThat(refused.body().at("/error/code").asText()).isEqualTo("authentication_error");
        }
        assertThat(api.count("SELECT count(*) FROM organisations")).isEqualTo(organisations);
        // and with a credential the same spelling is served as the plain path is
        assertThat(Http.get(base + "/v1;x/users/me", Api.admin()).status()).isEqualTo(200);
    }

    @Test
    void aKeyIsShownOnceAndStoredOnlyAsItsHash() throws Exception {
        // given
        JsonNode user = api.ok("/v1/users", Api.admin(), "{\"email\": \"hashed-" + System.nanoTime() + "@example.org\", \"name\": \"H\"}");

        // when
        JsonNode key = api.ok("/v1/users/" + user.get("id").asText() + "/api-keys", Api.admin(), "{}");

        // then: sk_ and 32 random bytes; the database has its SHA-256 and nothing that contains the secret
        String secret = key.get("api_key").asText();
        assertThat(key.get("id").asText()).startsWith("key_");
        assertThat(secret).startsWith("sk_").hasSizeGreaterThanOrEqualTo(40);
        try (Connection owner = stack.owner(); Statement statement = owner.createStatement();
             ResultSet rs = statement.executeQuery("SELECT * FROM api_keys WHERE id = '" + key.get("id").asText() + "'")) {
            assertThat(rs.next()).isTrue();
            String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
            assertThat(rs.getString("secret_hash")).isEqualTo(sha256);
            for (int column = 1; column <= rs.getMetaData().getColumnCount(); column++) {
                assertThat(String.valueOf(rs.getObject(column))).doesNotContain(secret.substring(3));
            }
        }
        assertThat(api.get("/v1/users/me", secret).body().get("data").toString()).doesNotContain(secret);
    }

    @Test
    void aKeyCreatedWithAnIdempotencyKeyIsNotKeptForItsReplay() throws Exception {
        // given
        JsonNode user = api.ok("/v1/users", Api.admin(), "{\"email\": \"replayed-" + System.nanoTime() + "@example.org\", \"name\": \"R\"}");
        String url = api.url("/v1/users/" + user.get("id").asText() + "/api-keys");
        Map<String, String> once = Map.of("Idempotency-Key", "new-key-" + System.nanoTime());

        // when: the client sends it again, as after a lost response
        Http.Response first = Http.post(url, Api.admin(), "{}", once);
        Http.Response replay = Http.post(url, Api.admin(), "{}", once);

        // then: one key, its secret shown once and stored nowhere in plain text; the replay names the key without it
        String secret = first.body().get("data").get("api_key").asText();
        assertThat(secret).startsWith("sk_");
        assertThat(replay.status()).isEqualTo(201);
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(replay.body().get("data").get("id").asText()).isEqualTo(first.body().get("data").get("id").asText());
        assertThat(replay.body().get("data").get("api_key").isNull()).isTrue();
        try (Connection owner = stack.owner(); Statement statement = owner.createStatement();
             ResultSet rs = statement.executeQuery("SELECT count(*) FROM idempotency_keys WHERE response_body LIKE '%"
                     + secret.substring(3) + "%'")) {
            rs.next();
            assertThat(rs.getLong(1)).isZero();
        }
        assertThat(api.get("/v1/users/me", secret).status()).isEqualTo(200);
    }

    @Test
    void aKeyThatExpiresMakesNoneThatOutlivesItAndItsUserSeesEveryKey() {
        // given: a user whose only key expires in an hour
        String userId = api.ok("/v1/users", Api.admin(), "{\"email\": \"short-" + System.nanoTime() + "@example.org\", \"name\": \"S\"}")
                .get("id").asText();
        String keys = "/v1/users/" + userId + "/api-keys";
        Instant inAnHour = Instant.now().plusSeconds(3600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        JsonNode shortLived = api.ok(keys, Api.admin(), "{\"expires_at\": \"" + inAnHour + "\"}");
        String secret = shortLived.get("api_key").asText();

        // when: that key asks for a key without an expiry, and for one that expires later
        JsonNode successor = api.ok(keys, secret, "{}");
        api.refused(keys, secret, "{\"expires_at\": \"" + inAnHour.plusSeconds(3600) + "\"}", 400, "invalid_request");

        // then: the successor expires with it, and the list shows both keys, never a secret
        assertThat(Instant.parse(successor.get("expires_at").asText())).isEqualTo(inAnHour);
        Http.Response list = api.get(keys, secret);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body().get("has_more").asBoolean(true)).as("a list's envelope, whole").isFalse();
        assertThat(list.body().get("data")).extracting(k -> k.get("id").asText())
                .containsExactly(shortLived.get("id").asText(), successor.get("id").asText());
        assertThat(list.raw()).doesNotContain(secret.substring(3)).doesNotContain(successor.get("api_key").asText().substring(3));
        assertThat(list.body().get("data").get(0).get("hint").asText()).startsWith("sk_live_");
        String other = api.ok("/v1/users", Api.admin(), "{\"email\": \"other-" + System.nanoTime() + "@example.org\", \"name\": \"O\"}")
                .get("id").asText();
        String othersKey = api.ok("/v1/users/" + other + "/api-keys", Api.admin(), "{}").get("api_key").asText();
        assertThat(api.get(keys, othersKey).status()).isEqualTo(403);
    }

    @Test
    void anExpiredKeyIsRefused() throws Exception {
        // given
        JsonNode user = api.ok("/v1/users", Api.admin(), "{\"email\": \"expiry-" + System.nanoTime() + "@example.org\", \"name\": \"E\"}");
        JsonNode key = api.ok("/v1/users/" + user.get("id").asText() + "/api-keys", Api.admin(),
                "{\"expires_at\": \"2099-01-01T00:00:00Z\"}");
        assertThat(api.get("/v1/users/me", key.get("api_key").asText()).status()).isEqualTo(200);

        // when: time passes (moved by hand in the database)
        try (Connection owner = stack.owner(); Statement statement = owner.createStatement()) {
            statement.executeUpdate("UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = '"
                    + key.get("id").asText() + "'");
        }

        // then
        assertThat(api.get("/v1/users/me", key.get("api_key").asText()).status()).isEqualTo(401);
        String name = "Expired " + key.get("id").asText();
        api.refused("/v1/organisations", key.get("api_key").asText(), "{\"name\": \"" + name + "\", \"country\": \"GB\"}",
                401, "authentication_error");
        assertThat(api.count("SELECT count(*) FROM organisations WHERE name = ?", name)).isZero();
    }

    @Test
    void onlyPlatformStaffCreateUsersAndNobodyManagesSomeoneElsesKeys() {
        JsonNode user = api.ok("/v1/users", Api.admin(), "{\"email\": \"own-" + System.nanoTime() + "@example.org\", \"name\": \"O\"}");
        String secret = api.ok("/v1/users/" + user.get("id").asText() + "/api-keys", Api.admin(), "{}").get("api_key").asText();

        api.refused("/v1/users", secret, "{\"email\": \"x@example.org\", \"name\": \"X\"}", 403, "authorization_error");
        api.refused("/v1/users/" + AmplyDatabase.DEV_ADMIN_ID + "/api-keys", secret, "{}", 403, "authorization_error");
        // nor revokes someone else's key, and a key that is not (or no longer) active is not found
        JsonNode other = api.ok("/v1/users", Api.admin(), "{\"email\": \"other-" + System.nanoTime() + "@example.org\", \"name\": \"P\"}");
        JsonNode othersKey = api.ok("/v1/users/" + other.get("id").asText() + "/api-keys", Api.admin(), "{}");
        String othersKeyPath = "/v1/users/" + other.get("id").asText() + "/api-keys/" + othersKey.get("id").asText();
        Http.Response refused = Http.delete(api.url(othersKeyPath), secret);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body().at("/error/code").asText()).isEqualTo("authorization_error");
        assertThat(api.get("/v1/users/me", othersKey.get("api_key").asText()).status()).isEqualTo(200);
        Http.Response unknown = Http.delete(api.url("/v1/users/" + user.get("id").asText() + "/api-keys/key_doesnotexist000"), secret);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(Http.delete(api.url(othersKeyPath), Api.admin()).status()).isEqualTo(200);
        assertThat(Http.delete(api.url(othersKeyPath), Api.admin()).status()).isEqualTo(404);
    }

    /** Until a statement on api_keys waits for a row lock (what the test holds), read from the server, not guessed by time. */
    private static void awaitALockWaitOnApiKeys() {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> api.count("""
                SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%api_keys%'""") > 0);
    }
}
