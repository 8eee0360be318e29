package io.amply.query.checkpoint;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The PUT Object requests, against a local HTTP server that records them. */
class S3ExportTargetTest {

    private static final SigV4.Credentials KEY = new SigV4.Credentials("AKIDTEST", "secret/for+tests");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-05-01T12:30:00Z"), ZoneOffset.UTC);

    private record Received(String method, String rawPath, Map<String, String> headers, byte[] body) {
    }

    private HttpServer server;
    private final AtomicReference<Received> received = new AtomicReference<>();
    private volatile int status = 200;
    private volatile String responseBody = "";
    private volatile long delayMillis;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
            received.set(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), headers,
                    exchange.getRequestBody().readAllBytes()));
            if (delayMillis > 0) {
                try {
                    Thread.sleep(delayMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] body = responseBody.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
        }
    }

    private S3ExportTarget target(String prefix, Duration timeout) {
        URI endpoint = URI.create("http://localhost:" + server.getAddress().getPort());
        return new S3ExportTarget(new S3ExportTarget.Settings(endpoint, "public-ledger", "eu-west-2", prefix, KEY, true,
                timeout), CLOCK);
    }

    @Test
    void putsThePathStyleObjectSignedWithSigV4() throws IOException {
        // given
        byte[] body = "{\"sequence\":4}".getBytes(StandardCharsets.UTF_8);

        // when
        target("ledger/", Duration.ofSeconds(5)).put("org 1/checkpoints/€.json", body, "application/json");

        // then: the request, and a signature that the server recomputes from what it received
        Received request = received.get();
        assertThat(request.method()).isEqualTo("PUT");
        assertThat(request.rawPath()).isEqualTo("/public-ledger/ledger/org%201/checkpoints/%E2%82%AC.json");
        assertThat(request.body()).isEqualTo(body);
        assertThat(request.headers()).containsEntry("content-type", "application/json")
                .containsEntry("x-amz-content-sha256", SigV4.sha256Hex(body))
                .containsEntry("x-amz-date", "20240501T123000Z")
                .containsEntry("host", "localhost:" + server.getAddress().getPort());
        String authorization = request.headers().get("authorization");
        assertThat(authorization).startsWith("AWS4-HMAC-SHA256 Credential=AKIDTEST/20240501/eu-west-2/s3/aws4_request,"
                + "SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date,Signature=");
        Map<String, String> signed = new LinkedHashMap<>();
        for (String name : new String[]{"content-type", "host", "x-amz-content-sha256", "x-amz-date"}) {
            signed.put(name, request.headers().get(name));
        }
        String expected = SigV4.sign("PUT", request.rawPath(), "", signed, SigV4.sha256Hex(request.body()), "eu-west-2",
                "s3", KEY).authorization();
        assertThat(authorization).isEqualTo(expected);
    }

    @Test
    void virtualHostStyleNamesTheBucketInTheHost() {
        S3ExportTarget target = new S3ExportTarget(new S3ExportTarget.Settings(URI.create("https://s3.eu-west-2.amazonaws.com"),
                "public-ledger", "eu-west-2", "", KEY, false, Duration.ofSeconds(5)), CLOCK);

        assertThat(target.hostHeader()).isEqualTo("public-ledger.s3.eu-west-2.amazonaws.com");
        assertThat(target.canonicalUri("org_1/latest-checkpoint.json")).isEqualTo("/org_1/latest-checkpoint.json");
    }

    @Test
    void theDefaultPortIsLeftOutOfTheHostAndABasePathIsKept() {
        S3ExportTarget target = new S3ExportTarget(new S3ExportTarget.Settings(URI.create("https://gateway.example:443/s3/"),
                "b", "us-east-1", "", KEY, true, Duration.ofSeconds(5)), CLOCK);

        assertThat(target.hostHeader()).isEqualTo("gateway.example");
        assertThat(target.canonicalUri("jwks.json")).isEqualTo("/s3/b/jwks.json");
    }

    @Test
    void aRefusalNamesTheStatusAndTheS3ErrorCode() {
        // given
        status = 403;
        responseBody = """
                <?xml version="1.0" encoding="UTF-8"?>
                <Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match</Message>
                <RequestId>4442587FB7D0A2F9</RequestId></Error>""";

        // then
        assertThatThrownBy(() -> target("", Duration.ofSeconds(5)).put("jwks.json", new byte[]{'{', '}'}, "application/json"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("s3://public-ledger/jwks.json")
                .hasMessageContaining("HTTP 403 SignatureDoesNotMatch")
                .hasMessageContaining("does not match")
                .hasMessageNotContaining(KEY.secretAccessKey());
    }

    @Test
    void aRefusalWithoutAnErrorBodyNamesTheStatus() {
        status = 503;

        assertThatThrownBy(() -> target("", Duration.ofSeconds(5)).put("jwks.json", new byte[0], "application/json"))
                .isInstanceOf(IOException.class)
                .hasMessageEndingWith("refused: HTTP 503");
    }

    @Test
    void aSlowServerTimesOut() {
        delayMillis = 2_000;

        assertThatThrownBy(() -> target("", Duration.ofMillis(300)).put("jwks.json", new byte[0], "application/json"))
                .isInstanceOf(IOException.class)
                .hasCauseInstanceOf(HttpTimeoutException.class);
    }

    @Test
    void refusalTextIsReadFromS3StyleXml() {
        assertThat(S3ExportTarget.refusal(404, "<Error><Code>NoSuchBucket</Code></Error>".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("HTTP 404 NoSuchBucket");
        assertThat(S3ExportTarget.refusal(502, "<html>bad gateway</html>".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("HTTP 502");
    }
}
