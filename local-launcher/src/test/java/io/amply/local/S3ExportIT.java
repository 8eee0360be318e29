package io.amply.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.amply.ledger.hash.Checkpoint;
import io.amply.ledger.hash.CheckpointVerifier;
import io.amply.ledger.hash.JwkSet;
import io.amply.ledger.hash.LedgerEntry;
import io.amply.query.checkpoint.SigV4;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Checkpoint files exported to an S3-compatible bucket: the query side of the {@link TestStack}
 * puts them into {@link FakeS3}, which stores a PUT only when its SigV4 signature verifies. While
 * the bucket is down, the checkpoint stays in the outbox (unpublished) and goes out once it is back.
 */
class S3ExportIT {

    /** Requests this class makes itself to probe the fake's checks; everything else is the query side's. */
    private static final String PROBE = "signature-probe/";
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private static TestStack stack;
    private static Api api;

    @BeforeAll
    static void start() {
        stack = TestStack.get();
        api = new Api(stack);
    }

    /** A new organisation with one donation and its fee: a chain of two entries. */
    private static String organisationWithADonation() {
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        api.receive(Api.admin(), org.id(), org.generalFund(), 2500, "GBP", 30);
        api.ledger(org.id(), c -> c.size() == 2);
        return org.id();
    }

    private static void requestCheckpoint(String org) {
        api.ok("/v1/organisations/" + org + "/checkpoints", Api.admin(), "");
    }

    private record Row(String id, long sequence, OffsetDateTime publishedAt) {
    }

    /** The organisation's rows in the outbox, from the primary. */
    private static List<Row> checkpointRows(String org) throws SQLException {
        try (Connection superuser = stack.superuser();
             PreparedStatement select = superuser.prepareStatement(
                     "SELECT id, sequence, published_at FROM checkpoints WHERE organisation_id = ? ORDER BY sequence")) {
            select.setString(1, org);
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getString(1), rs.getLong(2), rs.getObject(3, OffsetDateTime.class)));
                }
            }
            return rows;
        }
    }

    private static JsonNode json(byte[] content) {
        try {
            return Http.JSON.readTree(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode objectJson(String key) {
        return stack.s3.object(key).map(o -> json(o.content())).orElse(null);
    }

    @Test
    void aCheckpointIsPutIntoTheBucketAsTheApiServesItAndVerifiesWithThePublishedKeys() throws Exception {
        // given
        String org = organisationWithADonation();
        String latestKey = org + "/latest-checkpoint.json";

        // when
        requestCheckpoint(org);

        // then: the head's checkpoint is in the bucket (the scheduler may have signed the same or an earlier head first)
        JsonNode latest = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> objectJson(latestKey), object -> object != null && object.get("sequence").asLong() == 2);
        Checkpoint checkpoint = Checkpoint.fromJson(latest);
        Http.Response fromApi = await().atMost(Duration.ofSeconds(30)).until(
                () -> Http.get(stack.apps().queryUrl() + "/v1/public/checkpoints/" + checkpoint.id(), null),
                response -> response.status() == 200);
        assertThat(latest).isEqualTo(fromApi.body().get("data"));
        assertThat(stack.s3.object(latestKey).orElseThrow().contentType()).isEqualTo("application/json");
        assertThat(objectJson("%s/checkpoints/%012d-%s.json".formatted(org, 2, checkpoint.keyId()))).isEqualTo(latest);

        JsonNode jwks = objectJson("jwks.json");
        assertThat(jwks).isEqualTo(Http.get(stack.apps().queryUrl() + "/v1/public/keys", null).body());
        List<LedgerEntry> chain = api.chain(org);
        CheckpointVerifier.Result verdict = CheckpointVerifier.verify(checkpoint, JwkSet.fromJson(jwks),
                s -> chain.get((int) s - 1).entryHash());
        assertThat(verdict.valid()).as("verification: %s", verdict.problem()).isTrue();

        // and a reader gets it from the bucket anonymously, byte for byte
        HttpResponse<byte[]> read = CLIENT.send(HttpRequest.newBuilder(
                        URI.create(stack.s3.endpoint() + "/" + FakeS3.BUCKET + "/" + latestKey)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body()).isEqualTo(stack.s3.object(latestKey).orElseThrow().content());
        assertThat(stack.s3.rejections()).as("the query side's PUTs all verified")
                .allMatch(rejection -> rejection.contains("/" + PROBE));
    }

    @Test
    void whileTheBucketAnswers503TheCheckpointStaysUnpublishedAndGoesOutOnceItIsBack() throws Exception {
        String org;
        stack.s3.unavailable(true);
        try {
            // given: an organisation whose checkpoints are all made while the bucket is down
            org = organisationWithADonation();
            requestCheckpoint(org);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> checkpointRows(org), rows -> rows.stream().anyMatch(row -> row.sequence() == 2));

            // when: the publisher has tried again since (two refusals: at least one try saw the row)
            int refusedBefore = stack.s3.unavailableAnswers();
            await().atMost(Duration.ofSeconds(30)).until(() -> stack.s3.unavailableAnswers() >= refusedBefore + 2);

            // then
            assertThat(checkpointRows(org)).isNotEmpty().allSatisfy(row -> assertThat(row.publishedAt()).as(row.id()).isNull());
            assertThat(stack.s3.keys()).noneMatch(key -> key.startsWith(org + "/"));
        } finally {
            stack.s3.unavailable(false);
        }

        // when the bucket is back: published, and in the bucket
        await().atMost(Duration.ofSeconds(60)).until(() -> checkpointRows(org),
                rows -> rows.stream().allMatch(row -> row.publishedAt() != null));
        JsonNode latest = objectJson(org + "/latest-checkpoint.json");
        assertThat(latest).as("latest-checkpoint.json").isNotNull();
        assertThat(latest.get("sequence").asLong()).isEqualTo(2);
    }

    @Test
    void theFakeBucketStoresOnlyWhatIsSignedWithItsSecret() throws Exception {
        // given
        byte[] body = "{\"sequence\":2}".getBytes(StandardCharsets.UTF_8);
        byte[] other = "{\"sequence\":3}".getBytes(StandardCharsets.UTF_8);

        // when
        HttpResponse<String> wrongSecret = put(PROBE + "wrong-secret.json", body, body, "not-the-secret");
        HttpResponse<String> swappedBody = put(PROBE + "swapped-body.json", body, other, FakeS3.SECRET_ACCESS_KEY);
        HttpResponse<String> signed = put(PROBE + "signed ünïcødé.json", body, body, FakeS3.SECRET_ACCESS_KEY);

        // then
        assertThat(wrongSecret.statusCode()).isEqualTo(403);
        assertThat(wrongSecret.body()).contains("<Code>SignatureDoesNotMatch</Code>");
        assertThat(swappedBody.statusCode()).isEqualTo(400);
        assertThat(swappedBody.body()).contains("<Code>XAmzContentSHA256Mismatch</Code>");
        assertThat(signed.statusCode()).as(signed.body()).isEqualTo(200);
        assertThat(stack.s3.keys()).contains(PROBE + "signed ünïcødé.json")
                .doesNotContain(PROBE + "wrong-secret.json", PROBE + "swapped-body.json");
    }

    /** A PUT signed for {@code signedBody} with {@code secret}, sending {@code sentBody}. */
    private static HttpResponse<String> put(String key, byte[] signedBody, byte[] sentBody, String secret)
            throws IOException, InterruptedException {
        URI endpoint = URI.create(stack.s3.endpoint());
        String path = SigV4.encodePath("/" + FakeS3.BUCKET + "/" + key);
        String hash = SigV4.sha256Hex(signedBody);
        String date = SigV4.amzDate(Instant.now());
        String authorization = SigV4.sign("PUT", path, "",
                Map.of("host", endpoint.getHost() + ":" + endpoint.getPort(), "x-amz-content-sha256", hash, "x-amz-date", date),
                hash, FakeS3.REGION, "s3", new SigV4.Credentials(FakeS3.ACCESS_KEY_ID, secret)).authorization();
        HttpRequest request = HttpRequest.newBuilder(URI.create(stack.s3.endpoint() + path))
                .header("x-amz-content-sha256", hash)
                .header("x-amz-date", date)
                .header("Authorization", authorization)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(sentBody))
                .build();
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
