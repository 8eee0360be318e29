package io.amply.query.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.amply.ledger.hash.Checkpoint;
import io.amply.query.ReplicaCatchUp;
import io.amply.query.SessionLock;
import io.amply.query.kafka.PublishingStatus;
import io.amply.query.kafka.TopicsCreated;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Publishes stored checkpoints (an outbox: the {@code checkpoints} table, unpublished rows first):
 * to the {@code amply.checkpoints} topic, keyed by organisation, and as JSON files to every export
 * target (the export directory, an S3-compatible bucket: {@link ExportTargets}), beside the
 * current JWK Set. A checkpoint is marked published only after Kafka and every target took it;
 * if any is down it is all tried again on the next tick (the writes are idempotent). One node
 * publishes at a time ({@link SessionLock}): two nodes working through the same pending rows could
 * each decide "latest" before the other wrote it, and leave it naming the earlier head. Nothing is
 * published before the replica has replayed the checkpoint and its entries ({@link ReplicaCatchUp}): a
 * failover must not leave a signed checkpoint of entries the promoted database never had.
 */
@Component
class CheckpointPublisher {

    static final String TOPIC = "amply.checkpoints";
    /** The publishing round's advisory lock (LedgerVerificationIT holds it too). */
    static final long LOCK = 0x616d706c7970L; // "amplyp"
    private static final String JSON = "application/json";
    private static final Logger log = LoggerFactory.getLogger(CheckpointPublisher.class);

    private final JdbcTemplate jdbc;
    private final KafkaTemplate<String, byte[]> kafka;
    private final ObjectMapper json;
    private final CheckpointKeys keys;
    private final ExportTargets targets;
    private final PublishingStatus status;
    private final TopicsCreated topics;
    private final ReplicaCatchUp replica;
    private final Duration acknowledgementTimeout;

    CheckpointPublisher(JdbcTemplate jdbc, KafkaTemplate<String, byte[]> kafka, ObjectMapper json, CheckpointKeys keys,
                        PublishingStatus status, TopicsCreated topics, ExportTargets targets, ReplicaCatchUp replica,
                        @Value("${amply.kafka.acknowledgement-timeout:30s}") Duration acknowledgementTimeout) {
        this.acknowledgementTimeout = acknowledgementTimeout;
        this.topics = topics;
        this.replica = replica;
        this.status = status;
        this.jdbc = jdbc;
        this.kafka = kafka;
        this.json = json;
        this.keys = keys;
        this.targets = targets;
    }

    @Scheduled(fixedDelayString = "${amply.checkpoints.publish-interval:PT2S}", initialDelayString = "PT3S")
    void publishPending() {
        if (!pending().isEmpty()) {
            SessionLock.holding(jdbc, LOCK, false, this::publishRound); // another node is publishing: its round
        }
    }

    private List<Checkpoint> pending() {
        return jdbc.query(Checkpoints.SELECT + " WHERE published_at IS NULL ORDER BY created_at, id LIMIT 200",
                Checkpoints.ROWS);
    }

    /** One round, under the lock (CheckpointPublisherTest runs it without one). */
    void publishRound() {
        List<Checkpoint> pending = pending(); // again, under the lock: another node may have published some
        if (pending.isEmpty()) {
            return;
        }
        try {
            topics.require();
            replica.awaitCommitted();
            if (!targets.isEmpty()) {
                targets.put("jwks.json", json.writeValueAsBytes(keys.published().toJson()), JSON);
            }
            for (Checkpoint checkpoint : pending) {
                byte[] body = json.writeValueAsBytes(checkpoint.toJson());
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(TOPIC, checkpoint.organisationId(), body);
                header(record, "ce_specversion", "1.0");
                header(record, "ce_id", checkpoint.id());
                header(record, "ce_type", "io.amply.ledger.CheckpointSigned.v1");
                header(record, "ce_source", "urn:amply:ledger");
                header(record, "ce_subject", checkpoint.organisationId());
                header(record, "ce_organisationid", checkpoint.organisationId());
                header(record, "ce_time", checkpoint.createdAt());
                header(record, "content-type", "application/json");
                // the same wait as the other publishers' (it was a fixed 30 s whatever the setting)
                kafka.send(record).get(acknowledgementTimeout.toMillis(), TimeUnit.MILLISECONDS);
                // the numbered file before the latest one: "latest" never names a checkpoint not yet stored
                targets.put(checkpointKey(checkpoint), body, JSON);
                if (!behindAPublishedOne(checkpoint)) {
                    targets.put(checkpoint.organisationId() + "/latest-checkpoint.json", body, JSON);
                }
                jdbc.update("UPDATE checkpoints SET published_at = now() WHERE id = ?", checkpoint.id());
                status.sent(TOPIC, 1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            status.failed(TOPIC, e);
            log.warn("publishing checkpoints paused, will retry: {}", e.toString());
        }
    }

    /**
     * Whether a checkpoint of a later head of the chain is already published: then "latest" stays
     * as it is. Checkpoints are published in the order they were made, which is not always their
     * heads' order: one the ledger makes on request carries its event's time, and a ledger catching
     * up makes it after the schedule has signed a later head.
     */
    private boolean behindAPublishedOne(Checkpoint checkpoint) {
        return Boolean.TRUE.equals(jdbc.queryForObject("""
                SELECT EXISTS (SELECT 1 FROM checkpoints WHERE organisation_id = ? AND sequence > ? AND published_at IS NOT NULL)""",
                Boolean.class, checkpoint.organisationId(), checkpoint.sequence()));
    }

    private static void header(ProducerRecord<String, byte[]> record, String name, String value) {
        record.headers().add(new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8)));
    }

    /** {@code <org>/checkpoints/<sequence, 12 digits>-<key id>.json}: sorts by sequence, one file per signing key. */
    static String checkpointKey(Checkpoint checkpoint) {
        return String.format("%s/checkpoints/%012d-%s.json", checkpoint.organisationId(), checkpoint.sequence(),
                checkpoint.keyId());
    }
}
