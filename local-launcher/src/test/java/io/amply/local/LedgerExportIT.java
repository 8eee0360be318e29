package io.amply.local;

import io.amply.ledger.hash.ChainVerifier;
import io.amply.ledger.hash.LedgerEntry;
import io.amply.ledger.hash.cli.VerifyLedger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The public export withholds what visibility hides; the authorised export shows it, to the right roles only. */
class LedgerExportIT {

    private static final String AUDITOR = "sk_test_export_auditor_0001";
    private static final String VIEWER = "sk_test_export_viewer_00001";
    private static final String FINANCE = "sk_test_export_finance_0001";
    private static TestStack stack;
    private static Api api;

    @BeforeAll
    static void start() throws SQLException {
        stack = TestStack.get();
        api = new Api(stack);
        AmplyDatabase.ensureUser(stack.database, "usr_exportauditor", "auditor@example.org", "Auditor", null, "key_exportaud", AUDITOR);
        AmplyDatabase.ensureUser(stack.database, "usr_exportviewer", "viewer@example.org", "Viewer", null, "key_exportview", VIEWER);
        AmplyDatabase.ensureUser(stack.database, "usr_exportfinance", "finance@example.org", "Finance", null, "key_exportfin", FINANCE);
    }

    private static HttpResponse<String> export(String path, String key) throws IOException, InterruptedException {
        return export(path, key, null);
    }

    private static HttpResponse<String> export(String path, String key, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.apps().queryUrl() + path)).GET();
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        if (accept != null) {
            request.header("Accept", accept);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<LedgerEntry> lines(String body) throws IOException {
        List<LedgerEntry> entries = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (!line.isBlank()) {
                entries.add(LedgerEntry.fromJson(Http.JSON.readTree(line)));
            }
        }
        return entries;
    }

    @Test
    void internalEntriesAreWithheldInPublicAndShownToFinanceAndAuditorsOnly(@TempDir Path dir) throws Exception {
        // given: one public donation and one internal-only donation
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        api.ok("/v1/organisations/" + org.id() + "/memberships", Api.admin(), "{\"user_id\": \"usr_exportauditor\", \"role\": \"auditor\"}");
        api.ok("/v1/organisations/" + org.id() + "/memberships", Api.admin(), "{\"user_id\": \"usr_exportviewer\", \"role\": \"viewer\"}");
        api.ok("/v1/organisations/" + org.id() + "/memberships", Api.admin(), "{\"user_id\": \"usr_exportfinance\", \"role\": \"finance\"}");
        api.receive(Api.admin(), org.id(), org.generalFund(), 1200, "GBP", 0);
        api.ok("/v1/donations", Api.admin(), """
                {"organisation_id": "%s", "fund_id": "%s", "amount": 777, "currency": "GBP", "visibility": "internal_only",
                 "payment": {"method": "cash", "reference": "CASH 1"}}""".formatted(org.id(), org.generalFund()));
        api.ledger(org.id(), c -> c.size() == 2);
        stack.postgres.awaitReplicaCaughtUp(Duration.ofSeconds(30));
        String publicPath = "/v1/public/organisations/" + org.id() + "/ledger/export";
        String fullPath = "/v1/organisations/" + org.id() + "/ledger/export";

        // when
        List<LedgerEntry> publicExport = lines(export(publicPath, null).body());
        HttpResponse<String> full = export(fullPath, AUDITOR);

        // then: public hides the internal entry's content, keeps its hashes, and still verifies
        assertThat(publicExport).hasSize(2);
        assertThat(publicExport.get(1).hasContent()).isFalse();
        assertThat(publicExport.get(1).entryHash()).isNotBlank();
        assertThat(export(publicPath, null).body()).doesNotContain("\"amount\":777").doesNotContain("CASH 1");
        assertThat(ChainVerifier.verify(publicExport).valid()).isTrue();
        // and the auditor sees everything, which the CLI verifies from the file alone
        assertThat(full.statusCode()).isEqualTo(200);
        List<LedgerEntry> fullExport = lines(full.body());
        assertThat(fullExport).isEqualTo(api.chain(org.id()));
        assertThat(fullExport.get(1).amount()).isEqualTo(777);
        Path file = dir.resolve("ledger.jsonl");
        Files.writeString(file, full.body());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(VerifyLedger.run(new String[]{"--export", file.toString(), "--quiet"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()))).isZero();
        // as does the organisation's finance role
        assertThat(lines(export(fullPath, FINANCE).body())).isEqualTo(fullExport);
        // but not a viewer, nor anyone without a credential
        assertThat(export(fullPath, VIEWER).statusCode()).isEqualTo(403);
        assertThat(export(fullPath, null).statusCode()).isEqualTo(401);
    }

    @Test
    void anExportIsJsonLinesWhateverTheClientAcceptsAndItsFileNameIsTheIdAlone() throws Exception {
        // given
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        api.receive(Api.admin(), org.id(), org.generalFund(), 1200, "GBP", 0);
        api.ledger(org.id(), c -> c.size() == 1);
        stack.postgres.awaitReplicaCaughtUp(Duration.ofSeconds(30));

        // when: a client that asks for JSON (it was a server error), and a path whose id carries a file name of its own
        HttpResponse<String> asJson = export("/v1/public/organisations/" + org.id() + "/ledger/export", null, "application/json");
        HttpResponse<String> named = export("/v1/public/organisations/" + org.id()
                + "%22%3B%20filename%3D%22a.bat/ledger/export", null);

        // then
        assertThat(asJson.statusCode()).as(asJson.body()).isEqualTo(200);
        assertThat(asJson.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/x-ndjson");
        assertThat(lines(asJson.body())).hasSize(1);
        assertThat(asJson.headers().firstValue("Content-Disposition").orElseThrow())
                .isEqualTo("attachment; filename=\"" + org.id() + "-ledger.jsonl\"");
        // an id carrying a file name of its own names no organisation (until 2026-11-28 it was exported, as an
        // empty chain, under a file name cleaned of the injection)
        assertThat(named.statusCode()).isEqualTo(404);
        assertThat(named.headers().firstValue("Content-Disposition")).isEmpty();
    }
}
