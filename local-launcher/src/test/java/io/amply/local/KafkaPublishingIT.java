package io.amply.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.amply.ledger.hash.ChainVerifier;
import io.amply.ledger.hash.LedgerEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a Kafka consumer of Amply sees: every event once after deduplication on ce_id, in order
 * per organisation, every record valid against its JSON Schema (docs/schemas), ledger entries
 * that chain — also across a broker outage in the middle of the workload.
 */
class KafkaPublishingIT {

    private static TestStack stack;
    private static Api api;
    private static final Map<String, JsonSchema> SCHEMAS = new HashMap<>();

    @BeforeAll
    static void start() throws IOException {
        stack = TestStack.get();
        api = new Api(stack);
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        try (var files = Files.list(Path.of("../docs/schemas"))) {
            for (Path file : files.toList()) {
                SCHEMAS.put(file.getFileName().toString().replace(".schema.json", ""),
                        factory.getSchema(Files.readString(file)));
            }
        }
    }

    /** The consumer docs/kafka.md describes: keeps the ce_ids it has processed and skips repeats. */
    static final class DeduplicatingConsumer implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer;
        private final Set<String> seen = new LinkedHashSet<>();
        final Map<String, List<ConsumerRecord<String, byte[]>>> byOrganisation = new LinkedHashMap<>();
        int duplicates;

        DeduplicatingConsumer(String group, Pattern topics) {
            var props = new java.util.Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka.bootstrapServers());
            props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "1000");
            consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
            consumer.subscribe(topics);
        }

        void poll() {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(300))) {
                if (seen.add(header(record, "ce_id"))) {
                    byOrganisation.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(record);
                } else {
                    duplicates++;
                }
            }
        }

        List<ConsumerRecord<String, byte[]>> of(String organisation) {
            return byOrganisation.getOrDefault(organisation, List.of());
        }

        @Override
        public void close() {
            consumer.close();
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** A mixed workload: donations with fees, a refund, an expense, a transfer between own funds. */
    private static void workload(Api.Organisation org, int donations) {
        String second = api.ok("/v1/organisations/" + org.id() + "/funds", Api.admin(),
                "{\"name\": \"Second\", \"type\": \"project\", \"currency\": \"GBP\"}").get("id").asText();
        String first = null;
        for (int i = 1; i <= donations; i++) {
            String id = api.receive(Api.admin(), org.id(), org.generalFund(), 1000L * i, "GBP", 10).get("id").asText();
            first = first == null ? id : first;
        }
        api.ok("/v1/donations/" + first + "/refund", Api.admin(), "{\"amount\": 500, \"reason\": \"asked\"}");
        api.ok("/v1/expenses", Api.admin(), """
                {"organisation_id": "%s", "fund_id": "%s", "amount": 700, "currency": "GBP", "category": "operations",
                 "recipient_type": "supplier"}""".formatted(org.id(), org.generalFund()));
        api.ok("/v1/transfers", Api.admin(), """
                {"organisation_id": "%s", "from_fund_id": "%s", "to_fund_id": "%s", "amount": 300, "currency": "GBP"}"""
                .formatted(org.id(), org.generalFund(), second));
    }

    /** The organisation's event ids in event-store order (what "in order" means). */
    private static List<String> eventStoreOrder(String organisation) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection superuser = stack.superuser(); PreparedStatement query = superuser.prepareStatement("""
                SELECT event_identifier FROM domain_event_entry
                 WHERE convert_from(payload, 'UTF8')::jsonb ->> 'organisationId' = ? ORDER BY global_index""")) {
            query.setString(1, organisation);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    private static void assertValid(ConsumerRecord<String, byte[]> record) throws IOException {
        String type = header(record, "ce_type");
        JsonSchema schema = SCHEMAS.get(type);
        assertThat(schema).as("a schema for " + type).isNotNull();
        Set<ValidationMessage> problems = schema.validate(Http.JSON.readTree(record.value()));
        assertThat(problems).as(type + " " + new String(record.value(), StandardCharsets.UTF_8)).isEmpty();
        assertThat(header(record, "ce_specversion")).isEqualTo("1.0");
        assertThat(header(record, "ce_source")).isNotBlank();
        assertThat(header(record, "ce_time")).isNotBlank();
    }

    @Test
    void aConsumerSeesEveryEventOnceInOrderAndEveryRecordMatchesItsSchema() throws Exception {
        // given
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        workload(org, 5);
        List<String> expected = eventStoreOrder(org.id());
        // 5 donations with fees, a refund, an expense, a transfer out and in
        int entries = api.ledger(org.id(), c -> c.size() == 14).size();

        try (DeduplicatingConsumer events = new DeduplicatingConsumer("it-events-" + UUID.randomUUID(), Pattern.compile("amply\\.events\\..*"));
             DeduplicatingConsumer ledger = new DeduplicatingConsumer("it-ledger-" + UUID.randomUUID(), Pattern.compile("amply\\.ledger\\.entries"))) {
            // when
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                events.poll();
                ledger.poll();
                return events.of(org.id()).size() >= expected.size() && ledger.of(org.id()).size() >= entries;
            });

            // then: every event once, each topic in the event store's order
            assertInOrderPerTopic(events.of(org.id()), expected);
            for (var record : events.of(org.id())) {
                assertValid(record);
            }
            // and the ledger entries arrive in chain order and verify
            List<LedgerEntry> chain = new ArrayList<>();
            for (var record : ledger.of(org.id())) {
                assertValid(record);
                chain.add(LedgerEntry.fromJson(Http.JSON.readTree(record.value())));
            }
            assertThat(ChainVerifier.verify(chain).valid()).isTrue();
            assertThat(chain).isEqualTo(api.chain(org.id()));
        }
    }

    @Test
    void whileKafkaIsDownCommandsAndTheLedgerCarryOnAndNothingIsLostWhenItReturns() throws Exception {
        // given: a workload has started
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        api.receive(Api.admin(), org.id(), org.generalFund(), 100, "GBP", 0);

        // when: the broker stops in the middle of it
        stack.stopKafka();
        try {
            workload(org, 4); // every command still succeeds (Api.ok asserts 2xx)
            assertThat(api.ledger(org.id(), c -> c.size() == 13)).hasSize(13);
            JsonNode health = Http.get(stack.apps().queryManagementUrl() + "/health", null).body();
            assertThat(health.get("components").get("kafkaPublishing").get("details").get("ledger_entries_unpublished").asLong())
                    .isPositive();
        } finally {
            stack.startKafka();
        }
        List<String> expected = eventStoreOrder(org.id());

        // then
        try (DeduplicatingConsumer events = new DeduplicatingConsumer("it-outage-" + UUID.randomUUID(), Pattern.compile("amply\\.events\\..*"));
             DeduplicatingConsumer ledger = new DeduplicatingConsumer("it-outage-ledger-" + UUID.randomUUID(), Pattern.compile("amply\\.ledger\\.entries"))) {
            await().atMost(Duration.ofSeconds(120)).until(() -> {
                events.poll();
                ledger.poll();
                return events.of(org.id()).size() >= expected.size() && ledger.of(org.id()).size() >= 13;
            });
            assertInOrderPerTopic(events.of(org.id()), expected);
            assertThat(ledger.of(org.id()).stream().map(r -> LedgerEntry.fromJson(readJson(r.value())).sequence()).toList())
                    .isEqualTo(java.util.stream.LongStream.rangeClosed(1, 13).boxed().toList());
        }
    }

    @Test
    void aChainIsPublishedWhileTheLedgerWriterHoldsItsHeadButNotWhileAnotherNodePublishesIt() throws Exception {
        Api.Organisation held = api.organisation(Api.admin(), "GBP");
        Api.Organisation claimed = api.organisation(Api.admin(), "GBP");
        try (Connection writer = stack.superuser(); Connection otherNode = stack.superuser();
             DeduplicatingConsumer ledger = new DeduplicatingConsumer("it-held-" + UUID.randomUUID(), Pattern.compile("amply\\.ledger\\.entries"))) {
            writer.setAutoCommit(false);
            otherNode.setAutoCommit(false);
            List<LedgerEntry> written;
            stack.stopKafka();
            try {
                // given: two chains written while the broker is down, so not yet published
                api.receive(Api.admin(), held.id(), held.generalFund(), 2500, "GBP", 40);
                api.receive(Api.admin(), claimed.id(), claimed.generalFund(), 1200, "GBP", 0);
                written = api.ledger(held.id(), c -> c.size() == 2);
                api.ledger(claimed.id(), c -> c.size() == 1);
                // (the claimed chain's head last moved an hour ago: only a look at every chain finds it)
                try (Connection superuser = stack.superuser(); PreparedStatement old = superuser.prepareStatement(
                        "UPDATE ledger_heads SET updated_at = now() - interval '1 hour' WHERE organisation_id = ?")) {
                    old.setString(1, claimed.id());
                    assertThat(old.executeUpdate()).isOne();
                }
                // and one chain's head row held as the ledger writer holds it until its batch commits
                // (due for a checkpoint, so the checkpoint schedule, on a scheduler thread, waits for it),
                await().atMost(Duration.ofSeconds(30)).until(() -> holdWhileDue(writer, held.id()));
                await().atMost(Duration.ofSeconds(30)).until(() -> api.count("""
                        SELECT count(*) FROM pg_stat_activity
                         WHERE wait_event_type = 'Lock' AND query LIKE '%UPDATE ledger_heads SET checkpoint_sequence%'""") > 0);
                // the other chain claimed as a publisher on another node claims it
                try (PreparedStatement claim = otherNode.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 99))")) {
                    claim.setString(1, claimed.id());
                    claim.executeQuery().close();
                }
            } finally {
                // when the broker is back and the publisher goes round
                stack.startKafka();
            }

            // then the held chain is published and its position recorded without waiting
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                ledger.poll();
                return published(held) == 2 && ledger.of(held.id()).size() == 2;
            });
            assertThat(ledger.of(held.id()).stream().map(r -> LedgerEntry.fromJson(readJson(r.value()))).toList())
                    .isEqualTo(written);
            // and the claimed chain is left to the node that claimed it
            assertThat(published(claimed)).isZero();
            assertThat(ledger.of(claimed.id())).isEmpty();

            // until that node lets go of it
            otherNode.rollback();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                ledger.poll();
                return published(claimed) == 1 && ledger.of(claimed.id()).size() == 1;
            });
            writer.rollback();
        }
    }

    @Test
    void nothingReachesKafkaBeforeTheReplicaHasIt() throws Exception {
        // given: the replica's replay paused (a failover now would lose whatever the primary commits meanwhile, and
        // the promoted database give its sequences to other entries)
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        Set<String> donationsRecords = Set.of("io.amply.donation.DonationReceived.v1", "io.amply.ledger.EntryAppended.v1",
                "io.amply.ledger.CheckpointSigned.v1");
        try (DeduplicatingConsumer consumer = new DeduplicatingConsumer("it-replica-" + UUID.randomUUID(),
                Pattern.compile("amply\\.(events\\..*|ledger\\.entries|checkpoints)"))) {
            stack.postgres.awaitReplicaCaughtUp(Duration.ofSeconds(30));
            try (Connection replica = stack.postgres.superuserOnReplica(AmplyDatabase.NAME); Statement statement = replica.createStatement()) {
                statement.execute("SELECT pg_wal_replay_pause()");
                try {
                    // when: a donation with a fee recorded, its two entries written and a checkpoint of them signed
                    api.receive(Api.admin(), org.id(), org.generalFund(), 2_500, "GBP", 40);
                    await().atMost(Duration.ofSeconds(60)).until(() -> api.count(
                            "SELECT count(*) FROM checkpoints WHERE organisation_id = ? AND sequence = 2", org.id()) == 1);

                    // then: none of it goes out while the replica lacks it
                    long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
                    while (System.nanoTime() < until) {
                        consumer.poll();
                    }
                    assertThat(consumer.of(org.id()).stream().map(r -> header(r, "ce_type"))).doesNotContainAnyElementsOf(donationsRecords);
                    assertThat(published(org)).isZero();
                    assertThat(api.count("SELECT count(*) FROM checkpoints WHERE organisation_id = ? AND published_at IS NOT NULL",
                            org.id())).isZero();
                    // and the publishers, having waited for it in vain (amply.publishing.replica-wait), say why
                    await().atMost(Duration.ofSeconds(20)).until(() -> Http.get(stack.apps().queryManagementUrl() + "/health",
                            null).body().at("/components/kafkaPublishing/details/last_error/error").asText()
                            .contains("the replica has not replayed"));
                } finally {
                    statement.execute("SELECT pg_wal_replay_resume()");
                }
            }

            // then: all of it once the replica has it (the donation, its two entries, the checkpoint)
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll();
                return consumer.of(org.id()).stream().filter(r -> donationsRecords.contains(header(r, "ce_type"))).count() == 4;
            });
            assertThat(published(org)).isEqualTo(2);
        }
    }

    /**
     * Takes the head row's lock in {@code writer}'s open transaction while the committed row is due
     * for a checkpoint. The schedule (every second here) may checkpoint the chain between marking it
     * due and taking the lock, and a head checkpointed since is not due; then it tries again.
     */
    private static boolean holdWhileDue(Connection writer, String organisationId) throws SQLException {
        try (Connection superuser = stack.superuser();
             PreparedStatement due = superuser.prepareStatement(
                     "UPDATE ledger_heads SET checkpoint_sequence = 0, checkpoint_at = NULL WHERE organisation_id = ?")) {
            due.setString(1, organisationId);
            assertThat(due.executeUpdate()).isOne();
        }
        try (PreparedStatement hold = writer.prepareStatement("UPDATE ledger_heads SET updated_at = now() WHERE organisation_id = ?")) {
            hold.setString(1, organisationId);
            assertThat(hold.executeUpdate()).isOne();
        }
        boolean stillDue = api.count("SELECT count(*) FROM ledger_heads WHERE checkpoint_sequence = 0 AND organisation_id = ?",
                organisationId) == 1;
        if (!stillDue) {
            writer.rollback();
        }
        return stillDue;
    }

    private static long published(Api.Organisation org) throws SQLException {
        return api.count("SELECT coalesce(max(published_sequence), 0) FROM ledger_publication WHERE organisation_id = ?", org.id());
    }

    /**
     * Kafka keeps order per partition: an organisation's records of one topic (one aggregate
     * family) arrive in event-store order; across topics there is no order to keep.
     */
    private static void assertInOrderPerTopic(List<ConsumerRecord<String, byte[]>> consumed, List<String> expected) {
        assertThat(consumed.stream().map(r -> header(r, "ce_id")).sorted().toList())
                .isEqualTo(expected.stream().sorted().toList());
        Map<String, List<Integer>> positionsByTopic = new LinkedHashMap<>();
        for (var record : consumed) {
            positionsByTopic.computeIfAbsent(record.topic(), t -> new ArrayList<>()).add(expected.indexOf(header(record, "ce_id")));
        }
        positionsByTopic.forEach((topic, positions) ->
                assertThat(positions).as("order of " + topic).isSorted());
    }

    private static JsonNode readJson(byte[] value) {
        try {
            return Http.JSON.readTree(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
