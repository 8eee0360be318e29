package io.amply.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The transactions read model and the members' transaction and fund endpoints, from the replica:
 * every money movement with its direction, type, status and amount, per organisation and per
 * fund, paged by cursor, as CSV, for the organisation's members only, and reconciling with the
 * funds' balances.
 */
class TransactionsIT {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String CSV_HEADER = "id,created_at,direction,type,status,amount,currency,fund_id,allocation,note";

    private static TestStack stack;
    private static Api api;
    private static String query;

    @BeforeAll
    static void start() {
        stack = TestStack.get();
        api = new Api(stack);
        query = stack.apps().queryUrl();
    }

    record User(String id, String key) {
    }

    record Download(int status, String contentType, String disposition, List<String> lines) {
    }

    @Test
    void everyMoneyMovementIsListedPagedAndDownloadedForTheOrganisationsMembersOnly() throws Exception {
        // given: a pending, a completed (with a fee), a failed and a partially refunded donation, an expense and a transfer
        String admin = Api.admin();
        Api.Organisation org = api.organisation(admin, "EUR");
        String general = org.generalFund();
        String project = api.ok("/v1/organisations/" + org.id() + "/funds", admin, """
                {"name": "Wells", "type": "restricted", "currency": "EUR",
                 "restrictions": {"purpose": "wells", "geography": "Kenya", "ends_on": "2027-06-30"}}""").get("id").asText();
        String pending = api.ok("/v1/donations", admin, pendingDonation(org.id(), general, 1_500)).get("id").asText();
        String completed = api.receive(admin, org.id(), general, 10_000, "EUR", 250).get("id").asText();
        String failed = api.ok("/v1/donations", admin, pendingDonation(org.id(), general, 700)).get("id").asText();
        api.ok("/v1/donations/" + failed + "/fail", admin, "{\"reason\": \"card_declined\"}");
        String partlyRefunded = api.receive(admin, org.id(), general, 4_000, "EUR", 0).get("id").asText();
        api.ok("/v1/donations/" + partlyRefunded + "/refund", admin, "{\"amount\": 1000, \"reason\": \"asked\"}");
        api.ok("/v1/expenses", admin, """
                {"organisation_id": "%s", "fund_id": "%s", "amount": 2500, "currency": "EUR", "category": "programs",
                 "recipient_type": "supplier", "recipient_reference": "INV-7, \\"urgent\\""}""".formatted(org.id(), general));
        Http.Response transfer = api.post("/v1/transfers", admin, """
                {"organisation_id": "%s", "from_fund_id": "%s", "to_fund_id": "%s", "amount": 3000, "currency": "EUR"}"""
                .formatted(org.id(), general, project));
        assertThat(transfer.status()).as(String.valueOf(transfer.body())).isEqualTo(201);
        long position = transfer.body().get("meta").get("position").asLong();

        User viewer = user("viewer");
        User content = user("content");
        User outsider = user("outsider");
        member(org.id(), viewer, "viewer");
        member(org.id(), content, "content");
        api.organisation(outsider.key(), "EUR"); // the outsider owns an organisation of their own

        // when: read with min_position = the last write's position, retried while the replica has not caught up
        String orgPath = "/v1/organisations/" + org.id() + "/transactions";
        JsonNode all = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> Http.get(query + orgPath + "?limit=100&min_position=" + position, admin), r -> r.status() == 200)
                .body();

        // then: each movement once, with its direction, type, status, amount and fund
        assertThat(all.get("meta").get("served_from").asText()).isEqualTo("replica");
        assertThat(all.get("meta").get("freshness").get("projection").asText()).isEqualTo("transactions");
        assertThat(all.get("meta").get("freshness").get("position").asLong()).isGreaterThanOrEqualTo(position);
        assertThat(all.get("has_more").asBoolean()).isFalse();
        List<JsonNode> rows = list(all.get("data"));
        assertThat(rows).extracting(TransactionsIT::describe).containsExactlyInAnyOrder(
                "incoming donation pending 1500 " + general,
                "incoming donation completed 10000 " + general,
                "outgoing fee completed 250 " + general,
                "incoming donation failed 700 " + general,
                "incoming donation partially_refunded 4000 " + general,
                "outgoing refund completed 1000 " + general,
                "outgoing expense completed 2500 " + general,
                "outgoing transfer_out completed 3000 " + general,
                "incoming transfer_in completed 3000 " + project);
        assertThat(donationRow(rows, pending, "donation").get("status").asText()).isEqualTo("pending");
        assertThat(donationRow(rows, completed, "donation").get("status").asText()).isEqualTo("completed");
        assertThat(donationRow(rows, completed, "fee").get("amount").asLong()).isEqualTo(250);
        assertThat(donationRow(rows, failed, "donation").get("status").asText()).isEqualTo("failed");
        assertThat(donationRow(rows, partlyRefunded, "donation").get("status").asText()).isEqualTo("partially_refunded");
        assertThat(donationRow(rows, partlyRefunded, "refund").get("amount").asLong()).isEqualTo(1000);
        JsonNode expense = rows.stream().filter(r -> "expense".equals(r.get("type").asText())).findFirst().orElseThrow();
        assertThat(expense.get("allocation").get("category").asText()).isEqualTo("programs");
        assertThat(expense.get("allocation").get("recipient_type").asText()).isEqualTo("supplier");
        assertThat(expense.get("note").asText()).isEqualTo("INV-7, \"urgent\"");
        Instant previous = Instant.EPOCH;
        for (JsonNode row : rows) {
            assertThat(row.get("id").asText()).startsWith("txn_").hasSizeLessThanOrEqualTo(20);
            assertThat(row.get("organisation_id").asText()).isEqualTo(org.id());
            assertThat(row.get("currency").asText()).isEqualTo("EUR");
            assertThat(row.get("allocation").isObject()).isTrue();
            assertThat(row.get("allocation").get("fund_id").asText()).isEqualTo(row.get("fund_id").asText());
            Instant createdAt = Instant.parse(row.get("created_at").asText());
            assertThat(createdAt).isAfterOrEqualTo(previous); // keyset order: (created_at, id)
            previous = createdAt;
        }

        // then: a fund's endpoint lists that fund's rows only
        List<JsonNode> generalRows = list(ok("/v1/funds/" + general + "/transactions?limit=100&min_position=" + position, admin).get("data"));
        assertThat(generalRows).hasSize(8).allSatisfy(r -> assertThat(r.get("fund_id").asText()).isEqualTo(general));
        List<JsonNode> projectRows = list(ok("/v1/funds/" + project + "/transactions", admin).get("data"));
        assertThat(projectRows).extracting(TransactionsIT::describe).containsExactly("incoming transfer_in completed 3000 " + project);

        // then: filters, and clear errors naming the parameter
        assertThat(list(ok(orgPath + "?type=donation", admin).get("data"))).hasSize(4);
        assertThat(list(ok(orgPath + "?direction=outgoing&status=completed", admin).get("data")))
                .extracting(r -> r.get("type").asText()).containsExactlyInAnyOrder("fee", "refund", "expense", "transfer_out");
        assertThat(list(ok("/v1/funds/" + general + "/transactions?status=pending", admin).get("data"))).hasSize(1);
        refused(orgPath + "?direction=sideways", admin, 400, "invalid_request", "direction");
        refused(orgPath + "?type=gift", admin, 400, "invalid_request", "type");
        refused(orgPath + "?status=done", admin, 400, "invalid_request", "status");
        refused(orgPath + "?limit=0", admin, 400, "invalid_request", "limit");
        refused(orgPath + "?limit=101", admin, 400, "invalid_request", "limit");
        refused(orgPath + "?cursor=bm90LWEtY3Vyc29y", admin, 400, "invalid_request", "cursor");
        refused(orgPath + "?format=xml", admin, 400, "invalid_request", "format");
        refused("/v1/funds/fund_doesnotexist00/transactions", admin, 404, "not_found", null);

        // then: pages of two visit every row exactly once, in the same order as one big page
        List<String> paged = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = ok(orgPath + "?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), admin);
            assertThat(page.get("data").size()).isBetween(1, 2);
            page.get("data").forEach(r -> paged.add(r.get("id").asText()));
            cursor = page.get("has_more").asBoolean() ? page.get("next_cursor").asText() : null;
            assertThat(page.get("has_more").asBoolean() || page.get("next_cursor").isNull()).isTrue();
            pages++;
        } while (cursor != null && pages < 20);
        assertThat(pages).isEqualTo(5);
        assertThat(new HashSet<>(paged)).hasSize(paged.size());
        assertThat(paged).containsExactlyElementsOf(rows.stream().map(r -> r.get("id").asText()).toList());

        // then: the CSV has a header and one line per transaction, in the same order, with the same amounts
        Download csv = download(orgPath + "?format=csv", admin, null);
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        assertThat(csv.disposition()).isEqualTo("attachment; filename=\"transactions-" + org.id() + ".csv\"");
        assertThat(csv.lines().get(0)).isEqualTo(CSV_HEADER);
        List<String[]> lines = csv.lines().subList(1, csv.lines().size()).stream().map(TransactionsIT::csvFields).toList();
        assertThat(lines).hasSize(rows.size());
        assertThat(lines).extracting(l -> l[0]).containsExactlyElementsOf(rows.stream().map(r -> r.get("id").asText()).toList());
        assertThat(lines.stream().mapToLong(TransactionsIT::signedCsvAmount).sum())
                .isEqualTo(rows.stream().mapToLong(TransactionsIT::signedAmount).sum());
        String[] expenseLine = lines.stream().filter(l -> l[3].equals("expense")).findFirst().orElseThrow();
        JsonNode expenseAllocation = Http.JSON.readTree(expenseLine[8]);
        assertThat(expenseAllocation.get("category").asText()).isEqualTo("programs");
        // the recipient's reference is the expense's note: its id in the allocation, its text beside it
        assertThat(expenseAllocation.get("note_id").asText()).startsWith("note_");
        assertThat(expenseAllocation.has("recipient_reference")).isFalse();
        assertThat(expenseLine[9]).isEqualTo("INV-7, \"urgent\"");
        Download accepted = download(orgPath, admin, "text/csv");
        assertThat(accepted.contentType()).startsWith("text/csv");
        assertThat(accepted.lines()).hasSize(rows.size() + 1);
        Download fundCsv = download("/v1/funds/" + project + "/transactions?format=csv", admin, null);
        assertThat(fundCsv.lines()).hasSize(2);
        assertThat(fundCsv.lines().get(1)).contains(",incoming,transfer_in,completed,3000,EUR," + project + ",");
        // and a page's limit or cursor with a download is refused, not ignored: a client paging through CSV would import
        // every row again with each page (until 2026-11-29 they were ignored)
        refused(orgPath + "?format=csv&limit=2", admin, 400, "invalid_request", "limit");
        String secondPage = ok(orgPath + "?limit=2", admin).get("next_cursor").asText();
        refused(orgPath + "?format=csv&cursor=" + secondPage, admin, 400, "invalid_request", "cursor");
        Download acceptedPaged = download(orgPath + "?limit=2", admin, "text/csv");
        assertThat(acceptedPaged.status()).isEqualTo(400);
        // and a parameter the read does not have is refused, not ignored (a misspelt filter read every row); a public
        // read ignores those links carry
        refused(orgPath + "?stauts=failed", admin, 400, "invalid_request", "stauts");
        refused("/v1/funds/" + project + "/transactions?format=csv&fund=" + general, admin, 400, "invalid_request", "fund");
        assertThat(Http.get(query + "/v1/public/organisations/" + org.id() + "?utm_source=newsletter", null).status()).isEqualTo(200);
        // and a limit sent empty is refused rather than read as the default 50, public reads included
        refused(orgPath + "?limit=", admin, 400, "invalid_request", "limit");
        refused("/v1/public/organisations?limit=", null, 400, "invalid_request", "limit");

        // then: members only
        // (every amount, whatever its visibility: not for content or viewer, who read amounts only as the public does)
        refused(orgPath, viewer.key(), 403, "authorization_error", null);
        refused("/v1/funds/" + project + "/transactions", viewer.key(), 403, "authorization_error", null);
        assertThat(download(orgPath + "?format=csv", viewer.key(), null).status()).isEqualTo(403);
        refused(orgPath, content.key(), 403, "authorization_error", null);
        refused(orgPath, outsider.key(), 403, "authorization_error", null);
        refused("/v1/funds/" + general + "/transactions", outsider.key(), 403, "authorization_error", null);
        refused(orgPath, null, 401, "authentication_error", null);
        refused("/v1/funds/" + general + "/transactions", null, 401, "authentication_error", null);
        assertThat(download(orgPath + "?format=csv", outsider.key(), null).status()).isEqualTo(403);
        Download refusedCsv = download(orgPath, null, "text/csv");
        assertThat(refusedCsv.status()).isEqualTo(401);
        assertThat(refusedCsv.contentType()).startsWith("application/json");
        // and so are refusals made before the controller runs (a parameter of the wrong type, a path that names
        // nothing), answered in the API's format too: until 2026-11-28 they came with no body at all
        for (String before : List.of(orgPath + "?limit=many", orgPath + "?min_position=soon", "/v1/organisations/" + org.id() + "/transactionz")) {
            Download early = download(before, admin, "text/csv");
            assertThat(early.status()).as(before).isIn(400, 404);
            assertThat(early.contentType()).as(before).startsWith("application/json");
            assertThat(Http.JSON.readTree(String.join("\r\n", early.lines())).at("/error/code").asText()).as(before)
                    .isIn("invalid_request", "not_found");
        }

        // then: per fund, settled rows (neither pending nor failed) sum, in minus out, to the fund's balance. A donation's
        // row keeps its gross amount whatever its status (completed, partially_refunded, refunded); its fee and refunds
        // are rows of their own, as the ledger has them, so counting status "completed" alone would miss a refunded gift
        Map<String, Long> settled = new HashMap<>();
        rows.stream().filter(r -> !Set.of("pending", "failed").contains(r.get("status").asText()))
                .forEach(r -> settled.merge(r.get("fund_id").asText(), signedAmount(r), Long::sum));
        assertThat(settled).isEqualTo(Map.of(general, 10_000L - 250 + 4_000 - 1_000 - 2_500 - 3_000, project, 3_000L));
        JsonNode funds = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> Http.get(query + "/v1/public/organisations/" + org.id() + "/funds", null).body(),
                        body -> balances(body).equals(settled));
        assertThat(balances(funds)).isEqualTo(settled);
        assertThat(api.balance(general)).isEqualTo(settled.get(general));

        // then: the members' fund endpoints show the same balances and the restrictions
        JsonNode restricted = ok("/v1/funds/" + project, viewer.key()).get("data");
        assertThat(restricted.get("organisation_id").asText()).isEqualTo(org.id());
        assertThat(restricted.get("restricted").asBoolean()).isTrue();
        assertThat(restricted.get("balance").asLong()).isEqualTo(3_000);
        assertThat(restricted.get("restrictions")).isEqualTo(Http.JSON.readTree("""
                {"purpose": "wells", "geography": "Kenya", "ends_on": "2027-06-30"}"""));
        assertThat(balances(ok("/v1/organisations/" + org.id() + "/funds", content.key()))).isEqualTo(settled);
        refused("/v1/organisations/" + org.id() + "/funds", outsider.key(), 403, "authorization_error", null);
        refused("/v1/funds/" + project, null, 401, "authentication_error", null);
        refused("/v1/funds/fund_doesnotexist00", admin, 404, "not_found", null);
    }

    @Test
    void aFilterWhoseRowsAreRareReadsThemThroughItsIndexNotThroughTheWholeOrganisation() throws Exception {
        // given: an organisation whose list holds 30,000 completed donations and, newest, one refund and one refunded
        // donation (written straight into the read model: a large organisation's history, in seconds)
        Api.Organisation org = api.organisation(Api.admin(), "EUR");
        try (Connection primary = stack.superuser(); Statement sql = primary.createStatement()) {
            sql.execute("""
                    INSERT INTO transactions (id, organisation_id, fund_id, direction, type, amount, currency, status,
                                              allocation, source_event_id, created_at)
                    SELECT 'txn_bulk' || i, '%1$s', '%2$s', 'incoming', 'donation', 100, 'EUR', 'completed',
                           jsonb_build_object('fund_id', '%2$s'), 'bulk-%1$s-' || i, now() - interval '1 day' + i * interval '1 ms'
                      FROM generate_series(1, 30000) AS i;
                    INSERT INTO transactions (id, organisation_id, fund_id, direction, type, amount, currency, status,
                                              allocation, source_event_id, created_at)
                    VALUES ('txn_bulkrefund', '%1$s', '%2$s', 'outgoing', 'refund', 100, 'EUR', 'completed',
                            jsonb_build_object('fund_id', '%2$s'), 'bulk-%1$s-refund', now()),
                           ('txn_bulkrefunded', '%1$s', '%2$s', 'incoming', 'donation', 100, 'EUR', 'refunded',
                            jsonb_build_object('fund_id', '%2$s'), 'bulk-%1$s-refunded', now());
                    ANALYZE transactions;""".formatted(org.id(), org.generalFund()));
        }
        // removed whatever fails below: no events stand for these rows, and a later rebuild would find them extra
        try (Connection replica = stack.postgres.superuserOnReplica(AmplyDatabase.NAME)) {
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    count(replica, "SELECT count(*) FROM transactions WHERE organisation_id = '" + org.id() + "'") == 30_002);
            String list = "/v1/organisations/" + org.id() + "/transactions?limit=10&";
            for (var filter : Map.of("type=refund", "transactions_organisation_type",
                    "direction=outgoing", "transactions_organisation_direction",
                    "status=refunded", "transactions_organisation_unsettled").entrySet()) {
                long scansBefore = scans(replica, filter.getValue());

                // when: asked often enough that the pooled connections' prepared statement gets PostgreSQL's
                // generic plan too (after five custom ones), which knows the filter's column but not its value
                for (int i = 0; i < READS_PER_FILTER; i++) {
                    JsonNode page = ok(list + filter.getKey(), Api.admin());

                    // then: the one row
                    assertThat(page.get("data")).as(filter.getKey()).hasSize(1);
                    assertThat(page.get("has_more").asBoolean()).isFalse();
                }

                // and every read went through the filter's index on the replica (its statistics count the scans)
                // (PostgreSQL writes a busy connection's counts within a second, an idle one's within ten)
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(scans(replica, filter.getValue()))
                        .as(filter.getKey()).isGreaterThanOrEqualTo(scansBefore + READS_PER_FILTER));
            }
        } finally {
            try (Connection primary = stack.superuser(); Statement sql = primary.createStatement()) {
                sql.execute("DELETE FROM transactions WHERE source_event_id LIKE 'bulk-" + org.id() + "-%'; ANALYZE transactions");
            }
        }
    }

    private static final int READS_PER_FILTER = 30;

    private static long scans(Connection replica, String index) throws SQLException {
        return count(replica, "SELECT idx_scan FROM pg_stat_user_indexes WHERE indexrelname = '" + index + "'");
    }

    private static long count(Connection connection, String query) throws SQLException {
        try (Statement sql = connection.createStatement(); ResultSet rs = sql.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String pendingDonation(String org, String fund, long amount) {
        return """
                {"organisation_id": "%s", "fund_id": "%s", "amount": %d, "currency": "EUR"}""".formatted(org, fund, amount);
    }

    private static User user(String role) {
        JsonNode user = api.ok("/v1/users", Api.admin(),
                "{\"email\": \"tx-" + role + "-" + System.nanoTime() + "@example.org\", \"name\": \"" + role + "\"}");
        String id = user.get("id").asText();
        return new User(id, api.ok("/v1/users/" + id + "/api-keys", Api.admin(), "{}").get("api_key").asText());
    }

    private static void member(String org, User user, String role) {
        api.ok("/v1/organisations/" + org + "/memberships", Api.admin(),
                "{\"user_id\": \"" + user.id() + "\", \"role\": \"" + role + "\"}");
    }

    /** A query-side GET that must succeed; the whole body. */
    private static JsonNode ok(String path, String apiKey) {
        Http.Response response = Http.get(query + path, apiKey);
        assertThat(response.status()).as(path + " → " + response.body()).isEqualTo(200);
        return response.body();
    }

    private static void refused(String path, String apiKey, int status, String code, String param) {
        Http.Response response = Http.get(query + path, apiKey);
        assertThat(response.status()).as(path + " → " + response.body()).isEqualTo(status);
        JsonNode error = response.body().get("error");
        assertThat(error.get("code").asText()).isEqualTo(code);
        assertThat(error.get("message").asText()).isNotBlank();
        if (param != null) {
            assertThat(error.get("param").asText()).isEqualTo(param);
        }
    }

    /** A GET whose body is not JSON (Http parses every body as JSON). */
    private static Download download(String path, String apiKey, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(query + path)).GET();
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        if (accept != null) {
            request.header("Accept", accept);
        }
        HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        String body = response.body();
        List<String> lines = body.isEmpty() ? List.of() : Arrays.asList(body.split("\r\n"));
        return new Download(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.headers().firstValue("Content-Disposition").orElse(""), lines);
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> rows = new ArrayList<>();
        array.forEach(rows::add);
        return rows;
    }

    private static String describe(JsonNode row) {
        return String.join(" ", row.get("direction").asText(), row.get("type").asText(), row.get("status").asText(),
                row.get("amount").asText(), row.get("fund_id").asText());
    }

    private static JsonNode donationRow(List<JsonNode> rows, String donationId, String type) {
        return rows.stream().filter(r -> type.equals(r.get("type").asText())
                && donationId.equals(r.get("allocation").path("donation_id").asText())).findFirst().orElseThrow();
    }

    private static long signedAmount(JsonNode row) {
        long amount = row.get("amount").asLong();
        assertThat(amount).isPositive();
        return "incoming".equals(row.get("direction").asText()) ? amount : -amount;
    }

    /** One line's fields, RFC 4180: a quoted field may hold commas, and its quotes are doubled. */
    private static String[] csvFields(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted && c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                field.append('"');
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields.toArray(String[]::new);
    }

    private static long signedCsvAmount(String[] line) {
        long amount = Long.parseLong(line[5]);
        return "incoming".equals(line[2]) ? amount : -amount;
    }

    /** Fund id → balance, for the funds that have moved money. */
    private static Map<String, Long> balances(JsonNode body) {
        Map<String, Long> balances = new HashMap<>();
        for (JsonNode fund : body.get("data")) {
            if (fund.get("balance").asLong() != 0 || fund.get("incoming").asLong() != 0) {
                balances.put(fund.get("id").asText(), fund.get("balance").asLong());
            }
        }
        return balances;
    }
}
