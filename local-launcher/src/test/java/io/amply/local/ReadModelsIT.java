package io.amply.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.amply.ledger.hash.LedgerEntry;
import io.amply.query.readmodel.ProjectionRebuilds;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.AbstractEventProcessor;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.context.ApplicationContext;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The query side's read models on the replica: organisation profile and figures, the platform's
 * figures, the public ledger's filters and monthly totals, freshness and read-your-writes, keyset
 * pages under concurrent appends, and a rebuild that replaces a read model with an identical one.
 */
class ReadModelsIT {

    private final TestStack stack = TestStack.get();
    private final Api api = new Api(stack);
    private final String query = stack.apps().queryUrl();
    private final String operators = stack.apps().queryManagementUrl();

    @Test
    void organisationFiguresMatchItsLedgerAndSplitSpendingByVisibility() {
        // given: two donations with fees, a refund, and expenses of three visibilities
        Api.Organisation org = api.organisation(Api.admin(), "EUR");
        String first = api.receive(Api.admin(), org.id(), org.generalFund(), 20_000, "EUR", 300).get("id").asText();
        api.receive(Api.admin(), org.id(), org.generalFund(), 5_000, "EUR", 0);
        api.ok("/v1/donations/" + first + "/refund", Api.admin(), "{\"amount\": 2000, \"reason\": \"asked\"}");
        expense(org, 7_800, "public_full");
        expense(org, 1_500, "public_aggregated");
        expense(org, 700, "internal_only");
        List<LedgerEntry> chain = api.ledger(org.id(), c -> c.size() == 7);

        // when
        JsonNode body = await().atMost(Duration.ofSeconds(30)).until(
                () -> Http.get(query + "/v1/public/organisations/" + org.id(), null).body(),
                b -> b.has("data") && b.get("data").get("stats").get("totals").size() == 1
                        && b.get("data").get("stats").get("totals").get(0).get("spent_amount").asLong() == 10_000);

        // then
        JsonNode profile = body.get("data");
        assertThat(profile.get("id").asText()).isEqualTo(org.id());
        assertThat(profile.get("status").asText()).isEqualTo("pending");
        JsonNode eur = profile.get("stats").get("totals").get(0);
        assertThat(eur.get("received_amount").asLong()).isEqualTo(sum(chain, "donation_received"));
        assertThat(eur.get("donation_count").asLong()).isEqualTo(2);
        assertThat(eur.get("refunded_amount").asLong()).isEqualTo(-sum(chain, "donation_refunded"));
        assertThat(eur.get("fees_amount").asLong()).isEqualTo(-sum(chain, "fee"));
        assertThat(eur.get("spent_amount").asLong()).isEqualTo(-sum(chain, "expense"));
        assertThat(eur.get("spending_by_visibility").get("public_full").asDouble()).isEqualTo(78.0);
        assertThat(eur.get("spending_by_visibility").get("public_aggregated").asDouble()).isEqualTo(15.0);
        assertThat(eur.get("spending_by_visibility").get("internal_only").asDouble()).isEqualTo(7.0);
        assertThat(eur.get("spending_summary").asText()).startsWith("78.0 % fully detailed · 15.0 % aggregated");
        assertThat(profile.get("stats").get("fund_count").asLong()).isEqualTo(1);
        assertThat(body.get("meta").get("freshness").get("served_from").asText()).isEqualTo("replica");
        assertThat(body.get("meta").get("freshness").get("position").asLong())
                .as(() -> body + ProcessorStates.describe(stack, "organisation-directory")).isPositive();

        JsonNode platform = Http.get(query + "/v1/public/stats", null).body().get("data");
        JsonNode platformEur = null;
        for (JsonNode totals : platform.get("totals")) {
            if (totals.get("currency").asText().equals("EUR")) {
                platformEur = totals;
            }
        }
        assertThat(platformEur).isNotNull();
        assertThat(platformEur.get("received_amount").asLong()).isGreaterThanOrEqualTo(25_000);
        assertThat(platform.get("organisations").get("total").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(Http.get(query + "/v1/public/organisations/org_doesnotexist00", null).status()).isEqualTo(404);
    }

    @Test
    void anEventDeliveredAgainIsCountedInTheTotalsOnce() throws Exception {
        // given: an organisation with two donations counted
        Instant before = Instant.now().minusSeconds(1);
        Api.Organisation org = api.organisation(Api.admin(), "EUR");
        api.receive(Api.admin(), org.id(), org.generalFund(), 1_000, "EUR", 0);
        api.receive(Api.admin(), org.id(), org.generalFund(), 2_000, "EUR", 0);
        await().atMost(Duration.ofSeconds(30)).until(() -> eurTotals(org), t -> t != null && t.get("donation_count").asLong() == 2);
        ApplicationContext queryApp = stack.apps().query();
        StreamingEventProcessor directory = queryApp.getBean(EventProcessingConfiguration.class)
                .eventProcessor("organisation-directory", StreamingEventProcessor.class).orElseThrow();
        TokenStore tokens = queryApp.getBean(TokenStore.class);
        TrackingToken rewound = queryApp.getBean(EventStore.class).createTokenAt(before);

        // when: the processor is rewound to before them (without resetting the model), and a third donation arrives
        directory.shutDown();
        try {
            new TransactionTemplate(queryApp.getBean(PlatformTransactionManager.class)).executeWithoutResult(tx -> {
                for (int segment : tokens.fetchSegments("organisation-directory")) {
                    tokens.fetchToken("organisation-directory", segment);
                    tokens.storeToken(rewound, "organisation-directory", segment);
                    tokens.releaseClaim("organisation-directory", segment);
                }
            });
            // the profile is removed behind the processor's back: that it comes back proves the old events were delivered again
            try (Connection superuser = stack.superuser(); Statement statement = superuser.createStatement()) {
                statement.executeUpdate("DELETE FROM organisation_profiles WHERE organisation_id = '" + org.id() + "'");
            }
            api.receive(Api.admin(), org.id(), org.generalFund(), 4_000, "EUR", 0);
        } finally {
            directory.start();
        }

        // then: the two delivered again add nothing, the new one is counted
        await().atMost(Duration.ofSeconds(30)).until(() -> profileOnPrimary(org));
        await().atMost(Duration.ofSeconds(30)).until(() -> eurTotals(org), t -> t != null && t.get("donation_count").asLong() >= 3);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> eurTotals(org),
                t -> t != null && t.get("donation_count").asLong() == 3 && t.get("received_amount").asLong() == 7_000);
    }

    private boolean profileOnPrimary(Api.Organisation org) throws SQLException {
        try (Connection superuser = stack.superuser(); Statement statement = superuser.createStatement();
             ResultSet rows = statement.executeQuery("SELECT 1 FROM organisation_profiles WHERE organisation_id = '" + org.id() + "'")) {
            return rows.next();
        }
    }

    private JsonNode eurTotals(Api.Organisation org) {
        JsonNode body = Http.get(query + "/v1/public/organisations/" + org.id(), null).body();
        return body.has("data") && body.get("data").get("stats").get("totals").size() == 1
                ? body.get("data").get("stats").get("totals").get(0) : null;
    }

    @Test
    void everyProcessorLooksAtAnEventOnceForAllItsSegments() {
        // given
        EventProcessingConfiguration processing = stack.apps().query().getBean(EventProcessingConfiguration.class);

        // when
        Map<String, String> invokers = new HashMap<>();
        processing.eventProcessors().forEach((name, processor) ->
                invokers.put(name, ((AbstractEventProcessor) processor).eventHandlerInvoker().getClass().getSimpleName()));

        // then: the ledger, the five read models and the Kafka publisher, each behind the screening invoker
        assertThat(invokers).hasSize(7).allSatisfy((name, invoker) -> assertThat(invoker).as(name).isEqualTo("ScreenOnceInvoker"));
    }

    @Test
    void theDirectorySearchesByNameAndCountryPageByPage() {
        // given
        String marker = "Dir" + System.nanoTime();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(api.ok("/v1/organisations", Api.admin(), """
                    {"name": "%s charity %d", "country": "NO", "currency": "EUR"}""".formatted(marker, i)).get("id").asText());
        }

        // when: one per page
        List<String> seen = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(query + "/v1/public/organisations?search=" + marker, null)
                .body().get("data").size() == 3);
        String cursor = null;
        do {
            JsonNode page = Http.get(query + "/v1/public/organisations?country=NO&limit=1&search=" + marker.toLowerCase()
                    + (cursor == null ? "" : "&cursor=" + cursor), null).body();
            page.get("data").forEach(o -> seen.add(o.get("id").asText()));
            cursor = page.get("has_more").asBoolean() ? page.get("next_cursor").asText() : null;
        } while (cursor != null);

        // then
        assertThat(seen).containsExactlyElementsOf(ids);
        assertThat(Http.get(query + "/v1/public/organisations?country=XX&search=" + marker, null).body().get("data")).isEmpty();
        Http.Response bad = Http.get(query + "/v1/public/organisations?country=norway", null);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().get("error").get("param").asText()).isEqualTo("country");
        // a NUL, which PostgreSQL refuses in text, in a search or a cursor is the client's error, not a server error
        String nul = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("k:1:\0".getBytes());
        for (String[] refused : new String[][]{{"?search=%00", "search"}, {"?cursor=" + nul, "cursor"}}) {
            Http.Response answer = Http.get(query + "/v1/public/organisations" + refused[0], null);
            assertThat(answer.status()).as(answer.raw()).isEqualTo(400);
            assertThat(answer.body().at("/error/code").asText()).isEqualTo("invalid_request");
            assertThat(answer.body().at("/error/param").asText()).isEqualTo(refused[1]);
        }
    }

    @Test
    void aPublicTypeFilterReadsOneStretchOfTheChainPerPageAndCarriesOnPastIt() throws Exception {
        // given: seven withheld expenses, then a public one (the test stack's type-filter window: 5 sequences)
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        api.receive(Api.admin(), org.id(), org.generalFund(), 9_000, "GBP", 0);
        for (int i = 0; i < 7; i++) {
            expense(org, 100, "internal_only");
        }
        expense(org, 300, "public_full");
        List<LedgerEntry> chain = api.ledger(org.id(), c -> c.size() == 9);
        stack.postgres.awaitReplicaCaughtUp(Duration.ofSeconds(30));
        String publicExpense = chain.stream().filter(e -> e.type().equals("expense") && e.visibility().equals("public_full"))
                .findFirst().orElseThrow().id();
        String ledger = query + "/v1/public/organisations/" + org.id() + "/ledger";

        // when
        JsonNode first = Http.get(ledger + "?type=expense", null).body();
        List<String> found = new ArrayList<>();
        int pages = 0;
        for (JsonNode page = first; ; page = Http.get(ledger + "?type=expense&cursor=" + page.get("next_cursor").asText(), null).body()) {
            pages++;
            page.get("data").forEach(e -> found.add(e.get("id").asText()));
            if (!page.get("has_more").asBoolean()) {
                break;
            }
        }

        // then: the first page read sequences 1–5 only, found none there, and says so (until 2026-11-28 it read
        // the whole chain for one page); its cursor is the window's end, the same as an unfiltered page's after five
        assertThat(first.get("data")).as(first.toString()).isEmpty();
        assertThat(first.get("has_more").asBoolean()).isTrue();
        assertThat(first.get("next_cursor").asText())
                .isEqualTo(Http.get(ledger + "?limit=5", null).body().get("next_cursor").asText());
        // and following the cursors finds the public expense, once
        assertThat(found).containsExactly(publicExpense);
        assertThat(pages).isEqualTo(2);
        // and past its end_date the pages end, though the chain goes on
        JsonNode beforeAll = Http.get(ledger + "?type=expense&end_date=" + LocalDate.now(ZoneOffset.UTC).minusDays(1), null).body();
        assertThat(beforeAll.get("data")).isEmpty();
        assertThat(beforeAll.get("has_more").asBoolean()).as(beforeAll.toString()).isFalse();
    }

    @Test
    void publicTotalsCountAggregatedAmountsButNeverInternalOnlyOnes() throws Exception {
        // given
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        api.receive(Api.admin(), org.id(), org.generalFund(), 9_000, "GBP", 0);
        expense(org, 1_000, "public_full");
        expense(org, 2_000, "public_aggregated");
        expense(org, 4_000, "internal_only");
        List<LedgerEntry> chain = api.ledger(org.id(), c -> c.size() == 4);
        stack.postgres.awaitReplicaCaughtUp(Duration.ofSeconds(30)); // the chain was read on the primary; pages come from the replica

        // when
        JsonNode totals = await().atMost(Duration.ofSeconds(30)).until(
                () -> Http.get(query + "/v1/public/organisations/" + org.id() + "/ledger/aggregates", null).body(),
                b -> b.get("data").size() == 2);
        JsonNode expenses = Http.get(query + "/v1/public/organisations/" + org.id() + "/ledger?type=expense", null).body();

        // then: expenses total 3 000 from 2 entries
        Map<String, Long> byType = new HashMap<>();
        totals.get("data").forEach(t -> byType.put(t.get("type").asText(), t.get("amount").asLong()));
        assertThat(byType).containsEntry("donation_received", 9_000L).containsEntry("expense", -3_000L);
        // and a type filter finds only the entries whose type the public may know (the type is content, withheld)
        String publicId = chain.stream().filter(e -> e.visibility().equals("public_full") && e.type().equals("expense"))
                .findFirst().orElseThrow().id();
        assertThat(expenses.get("data")).extracting(e -> e.get("id").asText()).containsExactly(publicId);
        // while every entry is in the public chain, the internal one hashes only
        String internalId = chain.stream().filter(e -> e.visibility().equals("internal_only")).findFirst().orElseThrow().id();
        JsonNode internal = StreamSupport.stream(Http.get(query + "/v1/public/organisations/" + org.id() + "/ledger", null)
                .body().get("data").spliterator(), false).filter(e -> e.get("id").asText().equals(internalId)).findFirst().orElseThrow();
        assertThat(internal.get("entry_hash").asText()).startsWith("sha256:");
        assertThat(internal.has("amount")).as(internal.toString()).isFalse();
        assertThat(internal.has("type")).isFalse();
        // and the organisation's finance roles filter every entry by type
        assertThat(Http.get(query + "/v1/organisations/" + org.id() + "/ledger?type=expense", Api.admin()).body().get("data"))
                .hasSize(3);
        // and totals come in whole months, however narrow the dates asked (a day could single out one amount)
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate otherDay = today.getDayOfMonth() == 1 ? today.withDayOfMonth(today.lengthOfMonth()) : today.withDayOfMonth(1);
        JsonNode oneDay = Http.get(query + "/v1/public/organisations/" + org.id() + "/ledger/aggregates?type=expense&start_date="
                + otherDay + "&end_date=" + otherDay, null).body();
        assertThat(oneDay.get("data")).hasSize(1);
        assertThat(oneDay.get("data").get(0).get("amount").asLong()).isEqualTo(-3_000L);
        // and bad dates are the client's error, even past the years the database holds
        assertThat(Http.get(query + "/v1/public/organisations/" + org.id() + "/ledger?start_date=2026-13-01", null).status())
                .isEqualTo(400);
        for (String outOfRange : List.of("start_date=-5000-01-01", "end_date=%2B300000-01-01", "start_date=1969-12-31")) {
            Http.Response refused = Http.get(query + "/v1/public/organisations/" + org.id() + "/ledger?" + outOfRange, null);
            assertThat(refused.status()).as(outOfRange + ": " + refused.raw()).isEqualTo(400);
            assertThat(refused.body().at("/error/param").asText()).isEqualTo(outOfRange.substring(0, outOfRange.indexOf('=')));
        }
        assertThat(Http.get(query + "/v1/public/organisations/" + org.id() + "/ledger?start_date=2020-01-01&end_date=2020-12-31",
                null).body().get("data")).isEmpty();
    }

    @Test
    void aReceiptAskedForWithItsWritesPositionIsNotYetRatherThanNoSuchDonationWhileTheReplicaLags() throws Exception {
        // given: the replica's replay paused, then a donation recorded on the primary
        Api.Organisation org = api.organisation(Api.admin(), "EUR");
        stack.postgres.awaitReplicaCaughtUp(Duration.ofSeconds(30));
        String receipt;
        Http.Response lagging;
        try (Connection replica = stack.postgres.superuserOnReplica(AmplyDatabase.NAME); Statement statement = replica.createStatement()) {
            statement.execute("SELECT pg_wal_replay_pause()");
            try {
                Http.Response write = api.post("/v1/donations", Api.admin(), """
                        {"organisation_id": "%s", "fund_id": "%s", "amount": 1234, "currency": "EUR",
                         "payment": {"method": "bank_transfer", "reference": "BACS lag"}}""".formatted(org.id(), org.generalFund()));
                receipt = query + "/v1/public/donations/" + write.body().at("/data/id").asText()
                        + "?min_position=" + write.body().at("/meta/position").asLong();

                // when
                lagging = Http.get(receipt, null);
            } finally {
                statement.execute("SELECT pg_wal_replay_resume()");
            }
        }

        // then: "not yet" (retry), not "no such donation", which it said when the owner's row was not replayed
        assertThat(lagging.status()).as(lagging.raw()).isEqualTo(409);
        assertThat(lagging.body().at("/error/message").asText()).startsWith("not yet");
        // and the receipt once the replica has it
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> Http.get(receipt, null).status() == 200);
    }

    @Test
    void anOrganisationsPageWithAPositionWaitsForEveryReadModelItCounts() throws Exception {
        // given: the campaign read model stopped, then a campaign activated
        Api.Organisation org = api.organisation(Api.admin(), "EUR");
        StreamingEventProcessor campaigns = stack.apps().query().getBean(EventProcessingConfiguration.class)
                .eventProcessor("campaign-progress", StreamingEventProcessor.class).orElseThrow();
        String page;
        Http.Response behind;
        campaigns.shutDown();
        try {
            String campaign = api.ok("/v1/organisations/" + org.id() + "/campaigns", Api.admin(), """
                    {"fund_id": "%s", "name": "Counted", "goal_amount": 5000, "currency": "EUR"}""".formatted(org.generalFund()))
                    .get("id").asText();
            Http.Response activated = api.post("/v1/campaigns/" + campaign + "/activate", Api.admin(), "");
            page = query + "/v1/public/organisations/" + org.id() + "?min_position=" + activated.body().at("/meta/position").asLong();

            // when: the directory has the position, the campaign count's read model has not
            await().atMost(Duration.ofSeconds(30)).until(() -> caughtUp("organisation-directory"));
            behind = Http.get(page, null);
        } finally {
            campaigns.start();
        }

        // then: "not yet", not a count without the campaign under a fresh position
        assertThat(behind.status()).as(behind.raw()).isEqualTo(409);
        assertThat(behind.body().at("/error/message").asText()).contains("campaign-progress");
        // and once it has caught up, the count with it
        JsonNode counted = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> Http.get(page, null), r -> r.status() == 200).body();
        assertThat(counted.at("/data/stats/campaign_count").asLong()).isOne();
    }

    @Test
    void aClientReadsItsOwnWriteByPassingThePositionTheWriteReturned() {
        // given
        Api.Organisation org = api.organisation(Api.admin(), "EUR");
        Http.Response write = api.post("/v1/donations", Api.admin(), """
                {"organisation_id": "%s", "fund_id": "%s", "amount": 1234, "currency": "EUR",
                 "payment": {"method": "bank_transfer", "reference": "BACS ryw", "fee_amount": 0, "fee_charged_by": "bank"}}
                """.formatted(org.id(), org.generalFund()));
        long position = write.body().get("meta").get("position").asLong();
        String donationId = write.body().get("data").get("id").asText();

        // when: read straight away, asking for that position (a busy machine may answer "not yet"
        // first: the contract is the write or a clear "not yet", never data without it)
        JsonNode page = readOwnWrite(query + "/v1/public/organisations/" + org.id() + "/ledger?min_position=" + position, "ledger").body();
        Http.Response receipt = readOwnWrite(query + "/v1/public/donations/" + donationId + "?min_position=" + position, "ledger");
        // (a position no write has had yet is not waited for: it would hold a request's thread for nothing)
        Http.Response future = Http.get(query + "/v1/public/organisations/" + org.id() + "/ledger?min_position=" + (position + 1_000_000), null);
        Http.Response futurePage = Http.get(query + "/v1/public/organisations/" + org.id() + "?min_position=" + Long.MAX_VALUE, null);

        // then
        assertThat(page.get("data")).as(page.toString()).isNotNull();
        assertThat(page.get("data")).extracting(e -> e.get("amount").asLong()).contains(1234L);
        assertThat(page.get("meta").get("freshness").get("position").asLong()).isGreaterThanOrEqualTo(position);
        assertThat(receipt.status()).as(receipt.raw()).isEqualTo(200);
        assertThat(receipt.body().get("data").get("entry").get("amount").asLong()).isEqualTo(1234);
        assertThat(receipt.body().get("data").get("previous_entry_hash").isNull()).isTrue();
        for (Http.Response beyond : List.of(future, futurePage)) {
            assertThat(beyond.status()).as(beyond.raw()).isEqualTo(400);
            assertThat(beyond.body().at("/error/code").asText()).isEqualTo("invalid_request");
            assertThat(beyond.body().at("/error/message").asText()).contains("beyond the last event written");
            assertThat(beyond.body().at("/error/param").asText()).isEqualTo("min_position");
        }
    }

    private Http.Response readOwnWrite(String url, String processingGroup) {
        return Diagnostics.explained(() -> await().atMost(Duration.ofSeconds(30)).until(() -> {
            Http.Response response = Http.get(url, null);
            if (response.status() == 409) {
                assertThat(response.body().get("error").get("message").asText()).startsWith("not yet");
            }
            return response;
        }, r -> r.status() != 409), () -> ProcessorStates.describe(stack, processingGroup));
    }

    @Test
    void pagesStayStableWhileEntriesAreAppended() throws Exception {
        // given: an organisation that keeps receiving donations while a reader pages through its ledger
        Api.Organisation org = api.organisation(Api.admin(), "EUR");
        for (int i = 0; i < 5; i++) {
            api.receive(Api.admin(), org.id(), org.generalFund(), 100 + i, "EUR", 0);
        }
        api.ledger(org.id(), c -> c.size() == 5);
        await().atMost(Duration.ofSeconds(30)).until(() -> pass(org.id()).size() == 5);
        Thread writer = new Thread(() -> {
            for (int i = 0; i < 15; i++) {
                api.receive(Api.admin(), org.id(), org.generalFund(), 1_000 + i, "EUR", 0);
            }
        });
        writer.start();

        // when: one pass over pages of 2 while the writer appends, and one after it finished
        List<Long> during = pass(org.id());
        writer.join();
        api.ledger(org.id(), c -> c.size() == 20);
        List<Long> after = await().atMost(Duration.ofSeconds(30)).until(() -> pass(org.id()), s -> s.size() == 20);

        // then: each pass saw every entry once, in order, none skipped
        assertThat(during.size()).isGreaterThanOrEqualTo(5);
        assertContiguous(during);
        assertContiguous(after);
    }

    private List<Long> pass(String organisationId) {
        List<Long> sequences = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = Http.get(query + "/v1/public/organisations/" + organisationId + "/ledger?limit=2"
                    + (cursor == null ? "" : "&cursor=" + cursor), null).body();
            page.get("data").forEach(e -> sequences.add(e.get("sequence").asLong()));
            cursor = page.get("has_more").asBoolean() ? page.get("next_cursor").asText() : null;
        } while (cursor != null);
        return sequences;
    }

    private static void assertContiguous(List<Long> sequences) {
        for (int i = 0; i < sequences.size(); i++) {
            assertThat(sequences.get(i)).as(sequences.toString()).isEqualTo(i + 1);
        }
    }

    @Test
    void readsComeFromTheReplicaWhichNeverTakesAWrite() throws SQLException {
        // given
        Connection replica = stack.readonlyOnReplica();

        // when / then: the query side's read connection is a standby, and refuses writes
        try (replica; Statement statement = replica.createStatement()) {
            try (ResultSet rs = statement.executeQuery("SELECT pg_is_in_recovery()")) {
                rs.next();
                assertThat(rs.getBoolean(1)).isTrue();
            }
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> statement.executeUpdate(
                            "INSERT INTO organisation_totals_applied (source_event_id) VALUES ('x')"))
                    .isInstanceOf(SQLException.class);
        }
        JsonNode body = Http.get(query + "/v1/public/stats", null).body();
        assertThat(body.get("meta").get("served_from").asText()).isEqualTo("replica");
        assertThat(body.get("meta").get("freshness").has("replica_lag_ms")).isTrue();
    }

    @Test
    void aRebuiltReadModelEqualsTheOneItReplaces() throws Exception {
        // given: some history
        Api.Organisation org = api.organisation(Api.admin(), "EUR");
        String donation = api.receive(Api.admin(), org.id(), org.generalFund(), 3_000, "EUR", 90).get("id").asText();
        api.ok("/v1/donations/" + donation + "/refund", Api.admin(), "{\"amount\": 500, \"reason\": \"asked\"}");
        expense(org, 1_000, "public_aggregated");
        api.ledger(org.id(), c -> c.size() == 4);
        for (String group : TABLES.keySet()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> caughtUp(group));
            Map<String, List<String>> before = snapshot(group);
            long damaged = damage(group, org.id()); // a rebuild must repair the live rows, not just leave them
            if (damaged > 0) {
                assertThat(snapshot(group)).isNotEqualTo(before);
            }

            // when
            JsonNode done = rebuilt(group);

            // then
            assertThat(done.get("phase").asText()).as(done.toString()).isEqualTo("done");
            assertThat(done.get("events_replayed").asLong()).isPositive();
            assertThat(done.get("percent").asDouble()).isEqualTo(100.0);
            await().atMost(Duration.ofSeconds(30)).until(() -> caughtUp(group));
            assertThat(snapshot(group)).isEqualTo(before);
            long changed = 0;
            for (JsonNode count : done.get("rows_changed")) {
                changed += count.asLong();
            }
            assertThat(changed).as("live rows the swap wrote: only the damaged ones").isEqualTo(damaged);
        }
        assertThat(Http.get(query + "/v1/public/organisations/" + org.id() + "/funds", null).body().get("data").get(0)
                .get("balance").asLong()).isEqualTo(3_000 - 90 - 500 - 1_000);
    }

    @Test
    void aReadModelBeingRebuiltOnAnotherNodeIsNotRebuiltHereToo() throws Exception {
        // given: another node's rebuild of fund-balances under way (its lock held here): two rebuilds share the
        // twin tables, and one emptying them under the other lost rows for good at the swap
        String group = "fund-balances";
        try (Connection otherNode = stack.superuser();
             PreparedStatement lock = otherNode.prepareStatement("SELECT pg_advisory_lock(?)")) {
            lock.setLong(1, ProjectionRebuilds.lockKey(group));
            lock.executeQuery().close();

            // when
            Http.Response refused = Http.post(operators + "/projections/" + group, null, "{}");

            // then
            assertThat(refused.status()).as(refused.raw()).isEqualTo(409);
            assertThat(refused.body().get("error").asText()).contains("being rebuilt on another node");

            // and that rebuild ends, releasing its lock as ProjectionRebuilds does (closing the connection alone
            // releases it only once the server has noticed, which CI once beat)
            try (PreparedStatement unlock = otherNode.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                unlock.setLong(1, ProjectionRebuilds.lockKey(group));
                try (var result = unlock.executeQuery()) {
                    assertThat(result.next() && result.getBoolean(1)).isTrue();
                }
            }
        }

        // then one runs here
        JsonNode done = rebuilt(group);
        assertThat(done.get("phase").asText()).as(done.toString()).isEqualTo("done");
    }

    /** Starts a rebuild of {@code group} through the operators' endpoint and returns its status once it has ended. */
    private JsonNode rebuilt(String group) {
        Http.Response started = Http.post(operators + "/projections/" + group, null, "{}");
        assertThat(started.status()).as(started.raw()).isEqualTo(200);
        return await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(
                () -> Http.get(operators + "/projections/" + group, null).body().get("rebuild"),
                r -> r.get("finished_at") != null && !r.get("finished_at").isNull());
    }

    @Test
    void aRebuildDuringWhichTheDatabaseRestartedFailsAndLeavesTheLiveModelAsItWas() throws Exception {
        // given: history, and a rebuild of fund-balances held just after its replay (the live processor, which the
        // rebuild stops for its catch-up and swap, cannot release its segments while their rows are locked here)
        Api.Organisation org = api.organisation(Api.admin(), "EUR");
        api.receive(Api.admin(), org.id(), org.generalFund(), 4_000, "EUR", 0);
        String group = "fund-balances";
        await().atMost(Duration.ofSeconds(30)).until(() -> caughtUp(group));
        Map<String, List<String>> before = snapshot(group);
        JsonNode done;
        try (Connection tokens = stack.superuser()) {
            tokens.setAutoCommit(false);
            try (PreparedStatement lock = tokens.prepareStatement("SELECT 1 FROM token_entry WHERE processor_name = ? FOR UPDATE")) {
                lock.setString(1, group);
                lock.executeQuery().close();
            }
            Http.Response started = Http.post(operators + "/projections/" + group, null, "{}");
            assertThat(started.status()).as(started.raw()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(
                    () -> Http.get(operators + "/projections/" + group, null).body().at("/rebuild/phase").asText(),
                    "catching_up"::equals);

            // when: the database restarts, as far as the rebuild can tell: PostgreSQL's crash recovery empties every
            // unlogged table, the rebuild's twins and its mark among them
            try (Connection superuser = stack.superuser(); Statement crash = superuser.createStatement()) {
                crash.execute("TRUNCATE fund_movements_rebuild, rebuild_runs");
            }
            tokens.rollback();
            done = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(
                    () -> Http.get(operators + "/projections/" + group, null).body().get("rebuild"),
                    r -> r.get("finished_at") != null && !r.get("finished_at").isNull());
        }

        // then: the rebuild fails and says why; swapped, the emptied twin would have deleted every live row
        assertThat(done.get("phase").asText()).as(done.toString()).isEqualTo("failed");
        assertThat(done.get("error").asText()).contains("restarted");
        assertThat(snapshot(group)).isEqualTo(before);
        // and the live processor runs again
        api.receive(Api.admin(), org.id(), org.generalFund(), 600, "EUR", 0);
        await().atMost(Duration.ofSeconds(30)).until(() -> snapshot(group).get("fund_movements").stream()
                .anyMatch(row -> row.contains(org.id()) && row.contains(",600,")));
        // and a rebuild now runs through
        assertThat(rebuilt(group).get("phase").asText()).isEqualTo("done");
    }

    @Test
    void aRebuildWhoseWritesFailReportsItAndLeavesTheLiveModelServing() throws Exception {
        // given: history, and a rebuild twin that refuses every row (its writes go to the database on a thread of
        // their own, so the failure arrives there, not where the events are handled)
        Api.Organisation org = api.organisation(Api.admin(), "EUR");
        api.receive(Api.admin(), org.id(), org.generalFund(), 2_000, "EUR", 50);
        await().atMost(Duration.ofSeconds(30)).until(() -> caughtUp("transactions"));
        Map<String, List<String>> before = snapshot("transactions");
        try (Connection superuser = stack.superuser(); Statement statement = superuser.createStatement()) {
            statement.execute("ALTER TABLE transactions_rebuild ADD CONSTRAINT refuses_all CHECK (amount < 0) NOT VALID");
        }
        try {
            // when
            JsonNode done = rebuilt("transactions");

            // then: reported, the live rows untouched, and the live processor running again
            assertThat(done.get("phase").asText()).as(done.toString()).isEqualTo("failed");
            assertThat(done.get("error").asText()).contains("refuses_all");
            assertThat(snapshot("transactions")).isEqualTo(before);
            String later = api.receive(Api.admin(), org.id(), org.generalFund(), 700, "EUR", 0).get("id").asText();
            await().atMost(Duration.ofSeconds(30)).until(() -> snapshot("transactions").get("transactions").stream()
                    .anyMatch(row -> row.contains(later)));
        } finally {
            try (Connection superuser = stack.superuser(); Statement statement = superuser.createStatement()) {
                statement.execute("ALTER TABLE transactions_rebuild DROP CONSTRAINT refuses_all");
            }
        }
    }

    private boolean caughtUp(String group) throws SQLException {
        JsonNode freshness = Http.get(operators + "/projections/" + group, null).body().get("freshness");
        try (Connection owner = stack.owner(); Statement statement = owner.createStatement();
             ResultSet rs = statement.executeQuery("SELECT max(global_index) FROM domain_event_entry")) {
            rs.next();
            return freshness.get("position").asLong() >= rs.getLong(1);
        }
    }

    private static final Map<String, List<String>> TABLES = new java.util.LinkedHashMap<>();

    static {
        TABLES.put("fund-balances", List.of("fund_movements"));
        TABLES.put("organisation-directory", List.of("organisation_profiles", "organisation_totals", "organisation_totals_applied"));
        TABLES.put("transactions", List.of("transactions"));
        TABLES.put("campaign-progress", List.of("campaign_summaries", "campaign_contributions"));
        TABLES.put("project-budgets", List.of("project_summaries", "project_spending"));
    }

    /**
     * Damages the live rows of {@code group} as a superuser would: a changed row (its old version
     * deleted and the right one inserted by the swap: two changes), a deleted row and a stray one
     * (one change each). Returns the number of live rows the swap must write.
     */
    private long damage(String group, String organisationId) throws SQLException {
        Map<String, Long> statements = new java.util.LinkedHashMap<>();
        String first = "(SELECT %s FROM %s WHERE organisation_id = '%s' ORDER BY %s LIMIT 1)";
        switch (group) {
            case "fund-balances" -> {
                statements.put("UPDATE fund_movements SET amount = amount + 7 WHERE (source_event_id, source_index) = "
                        + first.formatted("source_event_id, source_index", "fund_movements", organisationId, "1, 2"), 2L);
                statements.put("DELETE FROM fund_movements WHERE (source_event_id, source_index) = "
                        + first.formatted("source_event_id, source_index", "fund_movements", organisationId, "1 DESC, 2 DESC"), 1L);
            }
            case "organisation-directory" -> {
                statements.put("UPDATE organisation_profiles SET name = name || ' (damaged)' WHERE organisation_id = '"
                        + organisationId + "'", 2L);
                statements.put("UPDATE organisation_totals SET received_amount = received_amount + 7 WHERE organisation_id = '"
                        + organisationId + "'", 2L);
                statements.put("DELETE FROM organisation_totals_applied WHERE source_event_id = "
                        + "(SELECT source_event_id FROM organisation_totals_applied ORDER BY 1 LIMIT 1)", 1L);
            }
            case "transactions" -> {
                statements.put("UPDATE transactions SET status = 'failed' WHERE id = "
                        + first.formatted("id", "transactions", organisationId, "1"), 2L);
                statements.put("DELETE FROM transactions WHERE id = "
                        + first.formatted("id", "transactions", organisationId, "1 DESC"), 1L);
                statements.put("""
                        INSERT INTO transactions (id, organisation_id, fund_id, direction, type, amount, currency, status,
                                                  source_event_id, created_at)
                        SELECT 'txn_strayrow00000001', organisation_id, fund_id, 'incoming', 'donation', 1, currency,
                               'completed', 'stray-event', created_at FROM transactions WHERE id = """
                        + first.formatted("id", "transactions", organisationId, "1"), 1L);
            }
            default -> {
                // this test's history has no campaigns or projects: the rebuild must change nothing
            }
        }
        long expected = 0;
        try (Connection superuser = stack.superuser(); Statement statement = superuser.createStatement()) {
            for (Map.Entry<String, Long> damage : statements.entrySet()) {
                assertThat(statement.executeUpdate(damage.getKey())).as(damage.getKey()).isEqualTo(1);
                expected += damage.getValue();
            }
        }
        return expected;
    }

    /** Every row of the group's tables, in a stable order, read on the primary past row-level security. */
    private Map<String, List<String>> snapshot(String group) throws SQLException {
        Map<String, List<String>> rows = new HashMap<>();
        try (Connection superuser = stack.superuser(); Statement statement = superuser.createStatement()) {
            for (String table : TABLES.get(group)) {
                List<String> lines = new ArrayList<>();
                try (ResultSet rs = statement.executeQuery("SELECT t::text FROM " + table + " t ORDER BY t::text")) {
                    while (rs.next()) {
                        lines.add(rs.getString(1));
                    }
                }
                if (!group.startsWith("campaign") && !group.startsWith("project")) {
                    assertThat(lines).as(table).isNotEmpty(); // this test's own history is in them
                }
                rows.put(table, lines);
            }
        }
        return rows;
    }

    @Test
    void correctionsOfExpensesAndFeesChangeTheOrganisationsFigures() {
        // given: a donation whose bank kept 300, and expenses of 2,000 (public) and 1,000 (internal only)
        Api.Organisation org = api.organisation(Api.admin(), "EUR");
        api.receive(Api.admin(), org.id(), org.generalFund(), 10_000, "EUR", 300);
        expense(org, 2_000, "public_full");
        expense(org, 1_000, "internal_only");
        List<LedgerEntry> chain = api.ledger(org.id(), c -> c.size() == 4);

        // when: the fee was 200, the public expense 1,500, and the internal one never happened
        correct(org, chain.get(1).id(), "adjustment", 100);
        correct(org, chain.get(2).id(), "adjustment", 500);
        correct(org, chain.get(3).id(), "reversal", 1_000);

        // then: the figures count what the corrected entries now move
        JsonNode eur = await().atMost(Duration.ofSeconds(30)).until(
                () -> Http.get(query + "/v1/public/organisations/" + org.id(), null).body(),
                b -> b.has("data") && b.get("data").get("stats").get("totals").size() == 1
                        && b.get("data").get("stats").get("totals").get(0).get("spent_amount").asLong() == 1_500)
                .get("data").get("stats").get("totals").get(0);
        assertThat(eur.get("fees_amount").asLong()).isEqualTo(200);
        assertThat(eur.get("spending_by_visibility").get("public_full").asDouble()).isEqualTo(100.0);
        assertThat(eur.get("spending_by_visibility").get("internal_only").asDouble()).isZero();
    }

    private void correct(Api.Organisation org, String entry, String kind, long amount) {
        api.ok("/v1/corrections", Api.admin(), """
                {"organisation_id": "%s", "fund_id": "%s", "kind": "%s", "corrects_entry_id": "%s", "amount": %d,
                 "currency": "EUR", "reason": "invoice corrected"}""".formatted(org.id(), org.generalFund(), kind, entry, amount));
    }

    private void expense(Api.Organisation org, long amount, String visibility) {
        api.ok("/v1/expenses", Api.admin(), """
                {"organisation_id": "%s", "fund_id": "%s", "amount": %d, "currency": "%s", "category": "programs",
                 "recipient_type": "supplier", "visibility": "%s"}""".formatted(org.id(), org.generalFund(), amount,
                api.get("/v1/funds/" + org.generalFund(), Api.admin()).body().get("data").get("currency").asText(), visibility));
    }

    private static long sum(List<LedgerEntry> chain, String type) {
        return chain.stream().filter(e -> e.type().equals(type)).mapToLong(LedgerEntry::amount).sum();
    }
}
