package io.amply.ledger.hash.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The URL mode against a stand-in for the query side's public API, serving the vectors. */
class VerifyLedgerUrlTest {

    private static final String ORGANISATION_PATH = "/v1/public/organisations/org_xyz789";

    private final List<String> requests = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private String base;
    private volatile String export = LedgerVectors.text("chain.jsonl");

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::serve);
        server.start();
        base = "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void aValidLedgerWithCheckpointsOverTwoPagesVerifies() {
        // when
        CliRun run = CliRun.of("--url", base, "--organisation", "org_xyz789");

        // then
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("VALID: 4 entries of org_xyz789 checked (0 with withheld content); head sequence 4 ")
                .contains("2 checkpoints verified (latest at sequence 4, key test-2026-11)")
                .doesNotContain("WARNING");
        assertThat(requests).containsExactly(
                ORGANISATION_PATH + "/checkpoints?limit=100",
                ORGANISATION_PATH + "/checkpoints?limit=100&cursor=page%2B2",
                "/v1/public/keys",
                ORGANISATION_PATH + "/ledger/export");
    }

    @Test
    void aTamperedExportFails() {
        // given: entry 3's metadata was changed, so the checkpoint at 2 still holds and the one at 4 cannot
        export = LedgerVectors.text("metadata-changed.tampered.jsonl");

        // when
        CliRun run = CliRun.of("--url", base + "/", "--organisation", "org_xyz789");

        // then
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).startsWith("INVALID: chain breaks at sequence 3: ")
                .contains("INVALID: checkpoint at sequence 4 (key test-2026-11): the chain verified only up to sequence 2")
                .contains("Checkpoints: 1 of 2 checkpoints verified (latest at sequence 2, key test-2026-11)");
    }

    @Test
    void theRehashedForgeryIsCaughtByTheDownloadedCheckpoint() {
        // given
        export = LedgerVectors.text("rehashed-forgery.tampered.jsonl");

        // when
        CliRun run = CliRun.of("--url", base, "--organisation", "org_xyz789");

        // then
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("INVALID: checkpoint at sequence 4 (key test-2026-11): entry 4 has a different entry_hash");
    }

    @Test
    void pinnedKeysReplaceThePublishedOnes(@TempDir Path dir) {
        // given: the verifier's own copy of the keys, in which the signing key is unknown
        Path jwks = LedgerVectors.write(dir, "jwks.json",
                LedgerVectors.text("jwks.json").replace(LedgerVectors.KEY_ID, "another-key"));

        // when
        CliRun run = CliRun.of("--url", base, "--organisation", "org_xyz789", "--jwks", jwks);

        // then
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("which the JWK Set does not publish");
        assertThat(requests).doesNotContain("/v1/public/keys");
    }

    @Test
    void anUnknownOrganisationIsAnInputError() {
        // when
        CliRun run = CliRun.of("--url", base, "--organisation", "org_nobody");

        // then
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("/v1/public/organisations/org_nobody/checkpoints?limit=100 returned HTTP 404")
                .contains("not_found");
    }

    @Test
    void aFailedExportDownloadIsAnInputError() {
        // given
        export = null;

        // when
        CliRun run = CliRun.of("--url", base, "--organisation", "org_xyz789");

        // then
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("/ledger/export returned HTTP 503");
    }

    @Test
    void aProgressCountIsShownWhenTheSizeIsUnknown() {
        // when: the export is sent chunked, without a Content-Length
        CliRun run = CliRun.of("--url", base, "--organisation", "org_xyz789", "--progress");

        // then
        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).contains("\r4 entries, ").endsWith(" bytes read\n");
    }

    private void serve(HttpExchange exchange) throws IOException {
        URI uri = exchange.getRequestURI();
        requests.add(uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
        String path = uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
        if (path.equals(ORGANISATION_PATH + "/checkpoints")) {
            // Two pages, with a cursor that needs encoding, to exercise has_more / next_cursor.
            String page = query.contains("cursor=page%2B2")
                    ? "{\"data\": [" + LedgerVectors.text("checkpoint.json") + "], \"has_more\": false, \"next_cursor\": null}"
                    : "{\"data\": [" + LedgerVectors.toJson(LedgerVectors.checkpointAt(2).toJson())
                    + "], \"has_more\": true, \"next_cursor\": \"page+2\"}";
            respond(exchange, 200, "application/json", page, true);
        } else if (path.equals("/v1/public/keys")) {
            respond(exchange, 200, "application/json", LedgerVectors.text("jwks.json"), true);
        } else if (path.equals(ORGANISATION_PATH + "/ledger/export")) {
            String body = export;
            if (body == null) {
                respond(exchange, 503, "application/json", "{\"error\": {\"code\": \"server_error\"}}", true);
            } else {
                respond(exchange, 200, "application/x-ndjson", body, false);
            }
        } else {
            respond(exchange, 404, "application/json",
                    "{\"error\": {\"code\": \"not_found\", \"message\": \"no such organisation\"}}", true);
        }
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body, boolean withLength)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, withLength ? bytes.length : 0);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
