package io.amply.local;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The publisher killed without any shutdown in the middle of its work: a second query-side node
 * (a child JVM) publishes, is killed with SIGKILL, and the first node takes its segments over
 * once their claims expire. Nothing is lost; what was sent twice carries the same id and content.
 */
class PublisherCrashIT {

    @Test
    void aPublisherKilledMidBatchLosesNothingAndRepeatsOnlyWithTheSameId() throws Exception {
        // given: this JVM's publisher stands aside, so the child node claims every segment
        TestStack stack = TestStack.get();
        Api api = new Api(stack);
        StreamingEventProcessor local = stack.apps().query().getBean(EventProcessingConfiguration.class)
                .eventProcessor("kafka-publisher", StreamingEventProcessor.class).orElseThrow();
        local.shutDown();
        Path log = Files.createTempFile("amply-child-query-side", ".log");
        Process child = startChildQuerySide(stack, log);
        try {
            Api.Organisation org = api.organisation(Api.admin(), "GBP");
            Map<String, byte[]> firstSeen = new HashMap<>();
            List<String> sameIdDifferentContent = new ArrayList<>();
            try (KafkaConsumer<String, byte[]> consumer = consumer(stack)) {
                // when: a workload runs, and the child is killed once it has published part of it
                for (int i = 1; i <= 60; i++) {
                    api.receive(Api.admin(), org.id(), org.generalFund(), 100L * i, "GBP", 1);
                }
                await().atMost(Duration.ofSeconds(120)).until(() -> {
                    poll(consumer, org.id(), firstSeen, sameIdDifferentContent);
                    return firstSeen.size() >= 20;
                });
                child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                for (int i = 61; i <= 80; i++) {
                    api.receive(Api.admin(), org.id(), org.generalFund(), 100L * i, "GBP", 1);
                }
                local.start(); // takes the dead node's segments over once their claims time out

                // then
                List<String> expected = eventIds(stack, org.id());
                await().atMost(Duration.ofSeconds(120)).until(() -> {
                    poll(consumer, org.id(), firstSeen, sameIdDifferentContent);
                    return firstSeen.keySet().containsAll(expected);
                });
            }
            assertThat(firstSeen.keySet()).containsAll(eventIds(stack, org.id()));
            assertThat(sameIdDifferentContent).isEmpty();
        } finally {
            child.destroyForcibly();
            if (!local.isRunning()) {
                local.start();
            }
        }
    }

    /** Polls once, keeping the first copy of every id and noting any repeat whose content differs. */
    private static void poll(KafkaConsumer<String, byte[]> consumer, String org, Map<String, byte[]> firstSeen,
                            List<String> sameIdDifferentContent) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(300))) {
            if (!org.equals(record.key())) {
                continue;
            }
            String id = new String(record.headers().lastHeader("ce_id").value(), StandardCharsets.UTF_8);
            byte[] previous = firstSeen.putIfAbsent(id, record.value());
            if (previous != null && !Arrays.equals(previous, record.value())) {
                sameIdDifferentContent.add(id);
            }
        }
    }

    private static KafkaConsumer<String, byte[]> consumer(TestStack stack) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "crash-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "1000");
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(Pattern.compile("amply\\.events\\..*"));
        return consumer;
    }

    private static List<String> eventIds(TestStack stack, String org) throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection superuser = stack.superuser(); PreparedStatement query = superuser.prepareStatement("""
                SELECT event_identifier FROM domain_event_entry
                 WHERE convert_from(payload, 'UTF8')::jsonb ->> 'organisationId' = ? ORDER BY global_index""")) {
            query.setString(1, org);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    /** A second query-side node in its own JVM, on the same database and broker. */
    private static Process startChildQuerySide(TestStack stack, Path log) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Daxoniq.update-checker.disabled=true",
                "-cp", System.getProperty("java.class.path"),
                "io.amply.query.QuerySideApplication"));
        command.addAll(Arrays.asList(AmplyLocal.sideArguments(TestStack.freePort(), TestStack.freePort(), stack.postgres, stack.kafka, TestStack.SECRETS)));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
            assertThat(child.isAlive()).as("the child query side died; see " + log).isTrue();
            return Files.readString(log).contains("Started QuerySideApplication");
        });
        return child;
    }
}
