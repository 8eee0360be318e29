package io.amply.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.amply.ledger.hash.Checkpoint;
import io.amply.ledger.hash.CheckpointVerifier;
import io.amply.ledger.hash.JwkSet;
import io.amply.ledger.hash.LedgerEntry;
import io.amply.ledger.hash.LedgerHashes;
import io.amply.ledger.hash.cli.VerifyLedger;
import io.amply.query.web.ApiException;
import io.amply.query.web.ChainReads;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Checkpoints, the verification API, the CLI and the cross-check, against a ledger tampered with
 * the way only a database superuser could: triggers off, rows changed underneath the application.
 */
class LedgerVerificationIT {

    private static TestStack stack;
    private static Api api;

    @BeforeAll
    static void start() {
        stack = TestStack.get();
        api = new Api(stack);
    }

    /** An organisation with four entries (two donations with fees) and a published checkpoint at the head. */
    private static String checkpointedOrganisation() {
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        api.receive(Api.admin(), org.id(), org.generalFund(), 2500, "GBP", 30);
        api.receive(Api.admin(), org.id(), org.generalFund(), 100000, "GBP", 900);
        api.ledger(org.id(), c -> c.size() == 4);
        api.ok("/v1/organisations/" + org.id() + "/checkpoints", Api.admin(), "");
        // the schedule may have signed the chain at sequence 2 before (a new chain is due at once): wait for the head's
        await().atMost(Duration.ofSeconds(60)).until(() -> headCheckpoint(org.id()) != null);
        awaitReplica(); // the verification API and the command line read the replica
        return org.id();
    }

    /** The checkpoint of the chain's head (sequence 4), or null while there is none on the replica. */
    private static JsonNode headCheckpoint(String org) {
        return checkpoints(org).stream().filter(c -> c.get("sequence").asLong() == 4).findFirst().orElse(null);
    }

    private static List<JsonNode> checkpoints(String org) {
        JsonNode page = Http.get(stack.apps().queryUrl() + "/v1/public/organisations/" + org + "/checkpoints", null).body();
        return StreamSupport.stream(page.get("data").spliterator(), false).toList();
    }

    private static JsonNode verifyApi(String org) {
        return Http.get(stack.apps().queryUrl() + "/v1/public/organisations/" + org + "/ledger/verify", null).body().get("data");
    }

    private record CliRun(int exit, String output) {
    }

    private static CliRun cli(String org) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = VerifyLedger.run(new String[]{"--url", stack.apps().queryUrl(), "--organisation", org, "--quiet"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));
        return new CliRun(exit, out.toString(StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> divergenceOf(String org) {
        JsonNode report = Http.post(stack.apps().queryManagementUrl() + "/ledgercrosscheck", null, "").body();
        for (JsonNode divergence : report.get("divergences")) {
            if (divergence.get("organisation_id").asText().equals(org)) {
                return Http.JSON.convertValue(divergence, Map.class);
            }
        }
        assertThat(report.get("entries_compared").asLong()).isPositive();
        return null;
    }

    /** Runs SQL as the superuser with every trigger off, as an attacker with database access would. */
    private static void tamper(String sql) throws SQLException {
        try (Connection superuser = stack.superuser(); Statement statement = superuser.createStatement()) {
            superuser.setAutoCommit(false);
            statement.execute("SET LOCAL session_replication_role = replica");
            statement.execute(sql);
            superuser.commit();
        }
        awaitReplica();
    }

    /** Reads are served by the replica: let it see the tampering first. */
    private static void awaitReplica() {
        try {
            stack.postgres.awaitReplicaCaughtUp(Duration.ofSeconds(30));
        } catch (SQLException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void checkpointsOfOneSequenceUnderTwoKeysAreListedPageByPageWithoutSkippingEither() throws Exception {
        // given: the head's checkpoint, and the same head signed again under a second key (as after a key rotation;
        // already published, so that nothing exports this copy, whose signature is the first key's)
        String org = checkpointedOrganisation();
        tamper("""
                INSERT INTO checkpoints (id, organisation_id, sequence, entry_hash, created_at, key_id, signature, published_at)
                SELECT 'chk_secondkey00001', organisation_id, sequence, entry_hash, created_at, key_id || '-rotated', signature, now()
                  FROM checkpoints WHERE organisation_id = '%s' AND sequence = 4 ORDER BY key_id LIMIT 1""".formatted(org));
        List<String> stored = new java.util.ArrayList<>();
        try (Connection superuser = stack.superuser(); PreparedStatement query = superuser.prepareStatement(
                "SELECT sequence || '/' || key_id FROM checkpoints WHERE organisation_id = ? ORDER BY sequence, key_id")) {
            query.setString(1, org);
            try (java.sql.ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    stored.add(rs.getString(1));
                }
            }
        }

        // when: listed one checkpoint per page
        List<String> listed = new java.util.ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = Http.get(stack.apps().queryUrl() + "/v1/public/organisations/" + org + "/checkpoints?limit=1"
                    + (cursor == null ? "" : "&cursor=" + cursor), null).body();
            page.get("data").forEach(c -> listed.add(c.get("sequence").asLong() + "/" + c.get("key_id").asText()));
            cursor = page.get("has_more").asBoolean() ? page.get("next_cursor").asText() : null;
        } while (cursor != null && listed.size() <= stored.size());

        // then: every checkpoint once, the head's under both keys
        assertThat(stored.stream().filter(c -> c.startsWith("4/"))).hasSize(2);
        assertThat(listed).isEqualTo(stored);
    }

    @Test
    void anEarlierHeadsCheckpointPublishedLaterLeavesTheLatestNamingTheLaterHead() throws Exception {
        // given: the head's checkpoint (sequence 4) published as the latest, then one of sequence 2 made
        // after it (as a ledger catching up makes one on request), waiting to be published
        String org = checkpointedOrganisation();
        Path latest = stack.exportDirectory.resolve(org).resolve("latest-checkpoint.json");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(latest)
                && Http.JSON.readTree(Files.readString(latest)).get("sequence").asLong() == 4);
        tamper("""
                INSERT INTO checkpoints (id, organisation_id, sequence, entry_hash, created_at, key_id, signature)
                SELECT 'chk_earlierhead001', organisation_id, 2, entry_hash, created_at, key_id || '-earlier', signature
                  FROM checkpoints WHERE organisation_id = '%s' AND sequence = 4 ORDER BY key_id LIMIT 1""".formatted(org));

        // when: it is published
        await().atMost(Duration.ofSeconds(30)).until(() -> api.count(
                "SELECT count(*) FROM checkpoints WHERE id = 'chk_earlierhead001' AND published_at IS NOT NULL") == 1);

        // then: exported under its own name, and "latest" still names the later head
        assertThat(stack.exportDirectory.resolve(org).resolve("checkpoints")).isDirectoryContaining(
                f -> f.getFileName().toString().startsWith("000000000002-"));
        assertThat(Http.JSON.readTree(Files.readString(latest)).get("sequence").asLong()).isEqualTo(4);
    }

    @Test
    void checkpointsArePublishedByOneNodeAtATime() throws Exception {
        // given: every checkpoint of a chain published, then another node's publishing round under way (its lock
        // held here: two rounds over the same rows could each write "latest" after deciding on it), and one waiting
        String org = checkpointedOrganisation();
        await().atMost(Duration.ofSeconds(30)).until(() -> api.count(
                "SELECT count(*) FROM checkpoints WHERE organisation_id = ? AND published_at IS NULL", org) == 0);
        try (Connection otherNode = stack.superuser(); PreparedStatement lock = otherNode.prepareStatement(
                "SELECT pg_advisory_lock(" + 0x616d706c7970L + ")")) { // CheckpointPublisher.LOCK
            lock.executeQuery().close();
            tamper("""
                    INSERT INTO checkpoints (id, organisation_id, sequence, entry_hash, created_at, key_id, signature)
                    SELECT 'chk_onenodeatatime', organisation_id, 3, entry_hash, created_at, key_id || '-other', signature
                      FROM checkpoints WHERE organisation_id = '%s' AND sequence = 4 ORDER BY key_id LIMIT 1""".formatted(org));

            // when / then: this node leaves it to the round under way
            await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10)).until(() -> api.count(
                    "SELECT count(*) FROM checkpoints WHERE id = 'chk_onenodeatatime' AND published_at IS NOT NULL") == 0);
        }

        // then: and publishes it once that round is over (its session, and lock, ended)
        await().atMost(Duration.ofSeconds(30)).until(() -> api.count(
                "SELECT count(*) FROM checkpoints WHERE id = 'chk_onenodeatatime' AND published_at IS NOT NULL") == 1);
    }

    @Test
    void aRequestedCheckpointIsSignedPublishedOnKafkaAndWrittenToTheExportDirectory() throws Exception {
        // given
        String org = checkpointedOrganisation();

        // when
        Checkpoint checkpoint = Checkpoint.fromJson(headCheckpoint(org));
        JwkSet keys = JwkSet.fromJson(Http.get(stack.apps().queryUrl() + "/v1/public/keys", null).body());

        // then
        List<LedgerEntry> chain = api.chain(org);
        assertThat(checkpoint.sequence()).isEqualTo(4);
        assertThat(CheckpointVerifier.verify(checkpoint, keys, s -> chain.get((int) s - 1).entryHash()).valid()).isTrue();
        assertThat(Http.get(stack.apps().queryUrl() + "/v1/public/checkpoints/" + checkpoint.id(), null).body()
                .get("data").get("signature").asText()).isEqualTo(checkpoint.signature());
        // the scheduler may have exported an earlier checkpoint of this chain first: wait for this one
        Path latest = stack.exportDirectory.resolve(org).resolve("latest-checkpoint.json");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                Files.exists(latest) && Files.readString(latest).contains(checkpoint.signature()));
        assertThat(Files.exists(stack.exportDirectory.resolve("jwks.json"))).isTrue();
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "checkpoint-test-" + org);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("amply.checkpoints"));
            // as for the file, the scheduler may have published an earlier checkpoint of this chain first
            var record = await().atMost(Duration.ofSeconds(60)).until(() -> StreamSupport
                    .stream(consumer.poll(Duration.ofMillis(500)).spliterator(), false)
                    .filter(r -> org.equals(r.key()))
                    .filter(r -> new String(r.value(), StandardCharsets.UTF_8).contains(checkpoint.signature()))
                    .findFirst().orElse(null), r -> r != null);
            assertThat(Checkpoint.fromJson(Http.JSON.readTree(record.value())).sequence()).isEqualTo(4);
            assertThat(new String(record.headers().lastHeader("ce_organisationid").value(), StandardCharsets.UTF_8))
                    .isEqualTo(org);
        }
    }

    @Test
    void anUntouchedLedgerVerifiesEverywhere() {
        // given
        String org = checkpointedOrganisation();

        // when
        JsonNode verdict = verifyApi(org);
        CliRun cli = cli(org);

        // then
        assertThat(verdict.get("valid").asBoolean()).as(verdict.toString()).isTrue();
        assertThat(verdict.get("entries_checked").asLong()).isEqualTo(4);
        assertThat(verdict.get("checkpoint").get("valid").asBoolean()).isTrue();
        assertThat(cli.exit()).as(cli.output()).isZero();
        assertThat(divergenceOf(org)).as("replaying the event store rebuilds identical entries").isNull();
    }

    @Test
    void aChangedAmountIsCaughtAtItsSequence() throws SQLException {
        String org = checkpointedOrganisation();
        tamper("UPDATE ledger_entries SET amount = 1 WHERE organisation_id = '" + org + "' AND sequence = 3");
        assertCaughtAt(org, 3);
    }

    @Test
    void changedMetadataIsCaughtAtItsSequence() throws SQLException {
        String org = checkpointedOrganisation();
        tamper("UPDATE ledger_entries SET metadata = (metadata::jsonb || '{\"fund_id\": \"fund_elsewhere\"}')::json "
                + "WHERE organisation_id = '" + org + "' AND sequence = 2");
        assertCaughtAt(org, 2);
    }

    @Test
    void anIdRewrittenWithQuotesBackslashesAndALineBreakIsCaughtAtItsSequence() throws SQLException {
        // given: characters a JSON line must escape, in a column the hashes cover
        String org = checkpointedOrganisation();
        tamper("UPDATE ledger_entries SET id = 'led_\"x\\' || chr(10) || '}' WHERE organisation_id = '" + org + "' AND sequence = 3");

        // then
        assertCaughtAt(org, 3);
        assertThat(verifyApi(org).get("reason").asText()).contains("content_hash does not match");
    }

    @Test
    void aChainBrokenEarlyIsReportedThereAndTheReplicaConnectionServesTheNextVerification() throws SQLException {
        // given: 20,000 entries after the checkpointed four, the first of them not linked to the head
        String org = checkpointedOrganisation();
        String zeros = "'sha256:' || repeat('0', 64)";
        tamper("INSERT INTO ledger_entries (id, organisation_id, sequence, type, amount, currency, visibility, metadata,"
                + " created_at, content_hash, prev_entry_hash, entry_hash, source_event_id, source_index)"
                + " SELECT 'led_' || substr(md5('" + org + "' || s), 1, 16), '" + org + "', s, 'fee', -1, 'GBP',"
                + " 'public_full', '{}', now(), " + zeros + ", " + zeros + ", " + zeros + ", 'forged-" + org + "-' || s, 0"
                + " FROM generate_series(5, 20004) s");

        // when: the checker stops at sequence 5 while the replica is still sending (what is left is read and dropped)
        JsonNode first = verifyApi(org);
        JsonNode again = verifyApi(org);

        // then
        assertThat(first.get("valid").asBoolean()).isFalse();
        assertThat(first.get("first_bad_sequence").asLong()).as(first.toString()).isEqualTo(5);
        assertThat(first.get("entries_checked").asLong()).isEqualTo(5);
        assertThat(first.get("reason").asText()).contains("content_hash does not match");
        assertThat(again).isEqualTo(first);
        // the replica's connections are fine after the abandoned COPY: an untouched chain still verifies
        String untouched = checkpointedOrganisation();
        assertThat(verifyApi(untouched).get("valid").asBoolean()).isTrue();
    }

    @Test
    void aChainLongerThanOneCopyRangeVerifiesAndAWholeMissingRangeIsCaughtWhereItBegins() throws SQLException {
        // given: 2,600 sealed entries, read in COPYs of 1,000 sequences (TestStack sets the range)
        String org = api.organisation(Api.admin(), "EUR").id();
        try (Connection superuser = stack.superuser()) {
            superuser.setAutoCommit(false);
            String prev = null;
            for (long sequence = 1; sequence <= 2_600; sequence++) {
                LedgerEntry entry = Tenants.entry(org, sequence, prev);
                Tenants.insert(superuser, entry);
                prev = entry.entryHash();
            }
            superuser.commit();
        }
        awaitReplica();

        // when
        JsonNode whole = verifyApi(org);
        tamper("DELETE FROM ledger_entries WHERE organisation_id = '" + org + "' AND sequence BETWEEN 1001 AND 2000");
        JsonNode gap = verifyApi(org);

        // then
        assertThat(whole.get("valid").asBoolean()).as(whole.toString()).isTrue();
        assertThat(whole.get("entries_checked").asLong()).isEqualTo(2_600);
        assertThat(whole.get("head_sequence").asLong()).isEqualTo(2_600);
        assertThat(gap.get("valid").asBoolean()).isFalse();
        assertThat(gap.get("first_bad_sequence").asLong()).as(gap.toString()).isEqualTo(1001);
        assertThat(gap.get("reason").asText()).contains("expected sequence 1001 but found 2001");
    }

    @Test
    void aDeletedEntryIsCaughtWhereItIsMissing() throws SQLException {
        String org = checkpointedOrganisation();
        tamper("DELETE FROM ledger_entries WHERE organisation_id = '" + org + "' AND sequence = 2");
        assertCaughtAt(org, 2);
    }

    @Test
    void swappedEntriesAreCaughtAtTheFirst() throws SQLException {
        String org = checkpointedOrganisation();
        tamper("UPDATE ledger_entries SET sequence = sequence + 1000 WHERE organisation_id = '" + org + "' AND sequence IN (2, 3)");
        tamper("UPDATE ledger_entries SET sequence = CASE sequence WHEN 1002 THEN 3 ELSE 2 END "
                + "WHERE organisation_id = '" + org + "' AND sequence IN (1002, 1003)");
        assertCaughtAt(org, 2);
    }

    @Test
    void aChainTheLedgerAppendedInCommitOrderIsNotReportedAsDivergent() throws SQLException {
        // given: the chain as the ledger leaves it when the events of entries 3 and 4 commit in the opposite order
        // of their indexes: 4's entry at 3 and 3's at 4, each sealed where it stands (what the ledger would write)
        String org = checkpointedOrganisation();
        List<LedgerEntry> chain = api.chain(org);
        reseal(org, 3, chain.get(1).entryHash(), List.of(chain.get(3), chain.get(2)));

        // when
        JsonNode verdict = verifyApi(org);
        Map<String, Object> divergence = divergenceOf(org);

        // then: the cross-check finds the ledger is what the events say, and the chain's links hold (only the
        // checkpoint signed before this test rewrote the chain no longer matches: the ledger would have signed it after)
        assertThat(divergence).isNull();
        assertThat(verdict.get("entries_checked").asLong()).isEqualTo(4);
        assertThat(verdict.get("reason").asText()).as(verdict.toString()).startsWith("checkpoint:");
    }

    @Test
    void wholeChainReadsBeyondTheirCapAreRefusedRetryablyAndServedOnceAPlaceIsFree() {
        // given: every place for whole-chain reads taken by reads still running
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        api.receive(Api.admin(), org.id(), org.generalFund(), 2500, "GBP", 30);
        api.ledger(org.id(), c -> c.size() == 2);
        awaitReplica();
        String ledger = stack.apps().queryUrl() + "/v1/public/organisations/" + org.id() + "/ledger";
        ChainReads reads = stack.apps().query().getBean(ChainReads.class);
        List<Runnable> running = new java.util.ArrayList<>();
        List<Http.Response> refused;
        try {
            while (true) {
                running.add(reads.acquire("203.0.113." + running.size())); // each from its own client
            }
        } catch (ApiException full) {
            // when: a verification, an export, the monthly totals and a CSV download are asked for
            refused = List.of(Http.get(ledger + "/verify", null), Http.get(ledger + "/export", null),
                    Http.get(ledger + "/aggregates", null),
                    // and a members' CSV of the organisation's whole transactions list
                    Http.get(stack.apps().queryUrl() + "/v1/organisations/" + org.id() + "/transactions?format=csv", Api.admin()));
        } finally {
            running.forEach(Runnable::run);
        }

        // then: each refused at once, to be sent again; sent again once the others have ended, each is served
        assertThat(running).isNotEmpty();
        for (Http.Response response : refused) {
            assertThat(response.status()).as(response.raw()).isEqualTo(429);
            assertThat(response.body().at("/error/code").asText()).isEqualTo("rate_limit_exceeded");
            assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
        }
        assertThat(Http.get(ledger + "/verify", null).body().at("/data/valid").asBoolean()).isTrue();
        assertThat(Http.get(ledger + "/aggregates", null).status()).isEqualTo(200);
    }

    @Test
    void aChainTheLedgerHasNotCaughtUpWithIsReportedBehindAndNotDivergent() {
        // given: a chain of two entries, then a donation while the ledger's processor is stopped
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        api.receive(Api.admin(), org.id(), org.generalFund(), 2500, "GBP", 30);
        api.ledger(org.id(), c -> c.size() == 2);
        StreamingEventProcessor ledger = stack.apps().query().getBean(EventProcessingConfiguration.class)
                .eventProcessor("ledger", StreamingEventProcessor.class).orElseThrow();
        JsonNode report;
        ledger.shutDown();
        try {
            api.receive(Api.admin(), org.id(), org.generalFund(), 700, "GBP", 10);

            // when
            report = Http.post(stack.apps().queryManagementUrl() + "/ledgercrosscheck", null, "").body();
        } finally {
            ledger.start();
        }

        // then: the two entries the ledger has are compared and agree; the two it has not written yet are behind
        assertThat(report.get("divergences").findValuesAsText("organisation_id")).as(report.toString()).doesNotContain(org.id());
        JsonNode behind = StreamSupport.stream(report.get("behind").spliterator(), false)
                .filter(chain -> chain.get("organisation_id").asText().equals(org.id())).findFirst().orElseThrow();
        assertThat(behind.get("entries_not_yet_in_ledger").asLong()).isEqualTo(2);
        assertThat(behind.get("parked_from").isNull()).isTrue();
        assertThat(report.get("complete").asBoolean()).isFalse();
        // and once the ledger has caught up, the chain is whole and nothing of it is behind
        api.ledger(org.id(), c -> c.size() == 4);
        assertThat(divergenceOf(org.id())).isNull();
    }

    @Test
    void aForgeryThatRehashesEverythingAfterTheChangeIsCaughtByTheCheckpoint() throws SQLException {
        // given: entry 2 made smaller, and 2..4 re-hashed so that the chain is self-consistent again
        String org = checkpointedOrganisation();
        List<LedgerEntry> chain = api.chain(org);
        LedgerEntry second = chain.get(1);
        LedgerEntry smaller = LedgerHashes.seal(second.id(), org, second.sequence(), second.type(), 1, second.currency(),
                second.visibility(), second.metadata(), second.createdAt(), second.prevEntryHash());
        reseal(org, 2, chain.get(0).entryHash(), List.of(smaller, chain.get(2), chain.get(3)));

        // when
        JsonNode verdict = verifyApi(org);
        CliRun cli = cli(org);

        // then: the links hold, the signed head does not
        assertThat(verdict.get("valid").asBoolean()).isFalse();
        assertThat(verdict.get("checkpoint").get("valid").asBoolean()).isFalse();
        assertThat(verdict.get("checkpoint").get("problem").asText()).contains("rewritten");
        assertThat(cli.exit()).isEqualTo(1);
        // the test's checkpoint is at 4; the scheduler may have signed an earlier head too, which catches it as well
        assertThat(cli.output()).containsPattern("checkpoint at sequence [24] .*the chain was rewritten");
        assertThat(divergenceOf(org)).containsEntry("first_divergent_sequence", 2);
    }

    /**
     * Writes {@code entries} over the chain from sequence {@code first} on, each sealed where it now
     * stands after {@code prev} (a self-consistent chain, as the ledger or a careful forger would
     * write it), as the superuser with triggers off; rows are found by entry id.
     */
    private static void reseal(String org, long first, String prev, List<LedgerEntry> entries) throws SQLException {
        try (Connection superuser = stack.superuser()) {
            superuser.setAutoCommit(false);
            try (Statement off = superuser.createStatement()) {
                off.execute("SET LOCAL session_replication_role = replica");
                // out of the way first: UNIQUE (organisation_id, sequence) holds after every statement
                off.execute("UPDATE ledger_entries SET sequence = sequence + 1000000 WHERE organisation_id = '" + org
                        + "' AND sequence >= " + first);
            }
            long sequence = first;
            for (LedgerEntry e : entries) {
                LedgerEntry sealed = LedgerHashes.seal(e.id(), org, sequence, e.type(), e.amount(), e.currency(), e.visibility(),
                        e.metadata(), e.createdAt(), prev);
                try (PreparedStatement update = superuser.prepareStatement("""
                        UPDATE ledger_entries SET sequence = ?, amount = ?, content_hash = ?, prev_entry_hash = ?, entry_hash = ?
                         WHERE organisation_id = ? AND id = ?""")) {
                    update.setLong(1, sequence);
                    update.setLong(2, sealed.amount());
                    update.setString(3, sealed.contentHash());
                    update.setString(4, sealed.prevEntryHash());
                    update.setString(5, sealed.entryHash());
                    update.setString(6, org);
                    update.setString(7, e.id());
                    assertThat(update.executeUpdate()).isOne();
                }
                prev = sealed.entryHash();
                sequence++;
            }
            superuser.commit();
        }
        awaitReplica();
    }

    private static void assertCaughtAt(String org, int sequence) {
        JsonNode verdict = verifyApi(org);
        assertThat(verdict.get("valid").asBoolean()).isFalse();
        assertThat(verdict.get("first_bad_sequence").asLong()).as(verdict.toString()).isEqualTo(sequence);
        assertThat(verdict.get("reason").asText()).isNotBlank();

        CliRun cli = cli(org);
        assertThat(cli.exit()).as(cli.output()).isEqualTo(1);
        assertThat(cli.output()).contains("chain breaks at sequence " + sequence);

        assertThat(divergenceOf(org)).as("cross-check").containsEntry("first_divergent_sequence", sequence);
    }
}
