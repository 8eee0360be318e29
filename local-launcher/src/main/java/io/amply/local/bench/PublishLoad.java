package io.amply.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.axonframework.common.IdentifierFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Kafka publishing benchmark: appends synthetic {@code DonationReceivedEvent}s straight into the
 * event store of a running system (bypassing the command side, so that the publisher, not the
 * commands, is what is measured), and consumes {@code amply.events.donation} to see when each
 * one was acknowledged and readable.
 *
 * <pre>
 * java -cp local-launcher/target/amply-local.jar -Dloader.main=io.amply.local.bench.PublishLoad \
 *      org.springframework.boot.loader.launch.PropertiesLauncher --events=30000 --rate=0 [--organisations=1] [--rounds=1] \
 *      [--connection=…]
 * </pre>
 * {@code --rate=0}: append as fast as possible (in transactions of 500) and report events
 * published per second; otherwise append at that rate and report commit → consumer latency.
 * {@code --organisations}: the events go round-robin to that many new organisations (one is the
 * hot-organisation case: every processor handles it in one segment, in order). {@code --rounds}:
 * the measurement repeated in the same JVM, the first round its warm-up.
 */
public final class PublishLoad {

    private static final String TOPIC = "amply.events.donation";

    private PublishLoad() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new ConcurrentHashMap<>();
        for (String arg : args) {
            String[] kv = arg.replaceFirst("^--", "").split("=", 2);
            options.put(kv[0], kv.length > 1 ? kv[1] : "true");
        }
        int events = Integer.parseInt(options.getOrDefault("events", "30000"));
        int rate = Integer.parseInt(options.getOrDefault("rate", "0"));
        int organisations = Integer.parseInt(options.getOrDefault("organisations", "1"));
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "1"));
        ObjectMapper json = new ObjectMapper();
        JsonNode connection = json.readTree(Path.of(options.getOrDefault("connection", ".amply/local/connection.json")).toFile());
        String api = connection.get("command_api_url").asText();
        String key = connection.get("dev_admin").get("api_key").asText();
        Map<String, String> fundOf = new java.util.LinkedHashMap<>();
        for (int o = 0; o < organisations; o++) {
            HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(api + "/organisations"))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + key)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"Publish load " + o + "\", \"country\": \"GB\", \"currency\": \"GBP\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (created.statusCode() != 201 && created.statusCode() != 200) {
                throw new IllegalStateException("creating an organisation failed: HTTP " + created.statusCode() + " " + created.body());
            }
            JsonNode org = json.readTree(created.body()).get("data");
            fundOf.put(org.get("id").asText(), org.get("funds").get(0).get("id").asText());
        }
        List<String> orgs = List.copyOf(fundOf.keySet());
        // rounds after the first run in a warm JVM: its JIT no longer competes with the system for the cores
        for (int round = 1; round <= rounds; round++) {
            if (rounds > 1) {
                System.out.printf("round %d of %d%n", round, rounds);
            }
            round(connection, orgs, fundOf, events, rate);
            if (round < rounds) {
                settle(connection.get("query_management_url").asText() + "/health");
            }
        }
        System.exit(0);
    }

    private static void round(JsonNode connection, List<String> orgs, Map<String, String> fundOf, int events, int rate)
            throws Exception {
        Map<String, Long> committedAt = new ConcurrentHashMap<>(events * 2);
        Map<String, Long> consumedAt = new ConcurrentHashMap<>(events * 2);
        CountDownLatch listening = new CountDownLatch(1);
        Thread consumer = new Thread(() -> consume(connection.get("kafka").get("bootstrap_servers").asText(), Set.copyOf(orgs),
                consumedAt, events, listening), "consumer");
        consumer.start();
        if (!listening.await(1, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the consumer did not reach the end of " + TOPIC + " within a minute");
        }

        long start = System.nanoTime();
        try (Connection db = DriverManager.getConnection(connection.get("postgres").get("primary").get("jdbc_url").asText(),
                "amply_admin", connection.get("postgres").get("roles").get("amply_admin").get("password").asText())) {
            db.setAutoCommit(false);
            PreparedStatement insert = db.prepareStatement("""
                    INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type, time_stamp,
                                                    payload_type, payload_revision, payload, meta_data)
                    VALUES (?, ?, 0, 'Donation', ?, 'io.amply.events.donation.DonationReceivedEvent', '1', ?, ?)""");
            int batch = rate == 0 ? 500 : Math.max(1, rate / 20);
            byte[] metaData = "{}".getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < events; ) {
                List<String> ids = new java.util.ArrayList<>();
                for (int b = 0; b < batch && i < events; b++, i++) {
                    String eventId = IdentifierFactory.getInstance().generateIdentifier(); // as the command side makes them
                    String donationId = "don_pl" + Integer.toString(i, 36) + UUID.randomUUID().toString().substring(0, 6);
                    String organisationId = orgs.get(i % orgs.size());
                    String payload = """
                            {"donationId":"%s","organisationId":"%s","fundId":"%s","campaignId":null,"amount":%d,"currency":"GBP",\
                            "feeAmount":0,"feeChargedBy":null,"paymentMethod":"bank_transfer","paymentReference":"PL","visibility":"public_full",\
                            "businessId":null}""".formatted(donationId, organisationId, fundOf.get(organisationId), 100 + i);
                    insert.setString(1, eventId);
                    insert.setString(2, donationId);
                    insert.setString(3, Instant.now().toString());
                    insert.setBytes(4, payload.getBytes(StandardCharsets.UTF_8));
                    insert.setBytes(5, metaData);
                    insert.addBatch();
                    ids.add(eventId);
                }
                insert.executeBatch();
                db.commit();
                long now = System.nanoTime();
                ids.forEach(id -> committedAt.put(id, now));
                if (rate > 0) {
                    long due = start + (long) ((double) i / rate * 1e9);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
            }
        }
        long appended = System.nanoTime();
        consumer.join(TimeUnit.MINUTES.toMillis(10));
        long last = consumedAt.values().stream().mapToLong(Long::longValue).max().orElse(appended);
        long[] latencies = committedAt.entrySet().stream().filter(e -> consumedAt.containsKey(e.getKey()))
                .mapToLong(e -> Math.max(0, consumedAt.get(e.getKey()) - e.getValue()) / 1000).sorted().toArray();
        System.out.printf("events=%d organisations=%d rate=%s appended/s=%.0f consumed=%d published/s (first append -> last consumed)=%.0f%n",
                events, orgs.size(), rate == 0 ? "max" : rate, events / ((appended - start) / 1e9), consumedAt.size(),
                consumedAt.size() / ((last - start) / 1e9));
        System.out.printf("commit -> consumed ms: p50=%.1f p95=%.1f p99=%.1f max=%.1f%n", pct(latencies, 50), pct(latencies, 95),
                pct(latencies, 99), latencies.length == 0 ? 0 : latencies[latencies.length - 1] / 1000.0);
    }

    /** Waits until every event processor has caught up (none is behind the event store's head). */
    private static void settle(String health) throws Exception {
        java.util.regex.Pattern behind = java.util.regex.Pattern.compile("\"behind\":[1-9]");
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (System.nanoTime() < deadline) {
            String body = http.send(HttpRequest.newBuilder(URI.create(health)).build(), HttpResponse.BodyHandlers.ofString()).body();
            if (!behind.matcher(body).find()) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
        throw new IllegalStateException("the processors did not catch up within 10 minutes");
    }

    private static double pct(long[] sorted, int p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1000.0;
    }

    /**
     * Reads the topic from its current end, with its partitions assigned rather than through a
     * consumer group: what is measured is how soon a record is readable, not how long a new group
     * takes to form (the broker holds a new group's first rebalance back for 3 s) or how long a new
     * consumer takes to read the records of earlier runs; both had inflated the latencies measured
     * before 2026-11-26 (docs/benchmarks.md).
     */
    private static void consume(String bootstrap, Set<String> organisations, Map<String, Long> consumedAt, int expected,
                                CountDownLatch listening) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC).stream()
                    .map(p -> new TopicPartition(TOPIC, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position); // resolved now, before the clock starts
            listening.countDown();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (consumedAt.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(java.time.Duration.ofMillis(100))) {
                    if (organisations.contains(record.key())) {
                        consumedAt.putIfAbsent(new String(record.headers().lastHeader("ce_id").value(), StandardCharsets.UTF_8),
                                System.nanoTime());
                    }
                }
            }
        }
    }
}
