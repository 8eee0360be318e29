package io.amply.query.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.amply.ledger.hash.Checkpoint;
import io.amply.query.ReplicaCatchUp;
import io.amply.query.kafka.PublishingStatus;
import io.amply.query.kafka.TopicsCreated;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.kafka.core.KafkaTemplate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.mockingDetails;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** The outbox rule: a checkpoint is marked published only when every export target took every file. */
class CheckpointPublisherTest {

    private static final Checkpoint CHECKPOINT = new Checkpoint("chk_1", "org_1", 4,
            "sha256:" + "ab".repeat(32), "2024-05-01T12:30:00.000000Z", "key-1", "c2lnbmF0dXJl");
    private static final String MARK = "UPDATE checkpoints SET published_at = now() WHERE id = ?";

    private final JdbcTemplate jdbc = mock(JdbcTemplate.class);
    @SuppressWarnings("unchecked")
    private final KafkaTemplate<String, byte[]> kafka = mock(KafkaTemplate.class);
    private final PublishingStatus status = mock(PublishingStatus.class);
    private final TopicsCreated topicsInPlace = mock(TopicsCreated.class); // require() returns: the topics exist
    private final ReplicaCatchUp replica = mock(ReplicaCatchUp.class); // awaitCommitted() returns: the replica has it all
    private final ObjectMapper json = new ObjectMapper();
    private final List<String> s3Keys = new ArrayList<>();
    private volatile boolean s3Down;

    @BeforeEach
    @SuppressWarnings({"unchecked", "rawtypes"})
    void pending() {
        when(jdbc.query(anyString(), any(RowMapper.class))).thenReturn((List) List.of(CHECKPOINT));
        when(kafka.send(any(ProducerRecord.class))).thenReturn(CompletableFuture.completedFuture(null));
    }

    private final ExportTarget s3 = new ExportTarget() {
        @Override
        public void put(String key, byte[] content, String contentType) throws IOException {
            if (s3Down) {
                throw new IOException("S3 PUT s3://b/" + key + " refused: HTTP 503");
            }
            s3Keys.add(key);
        }

        @Override
        public String describe() {
            return "fake bucket";
        }
    };

    private CheckpointPublisher publisher(ExportTarget... targets) {
        return new CheckpointPublisher(jdbc, kafka, json, new CheckpointKeys("", "", "", "", json), status, topicsInPlace,
                new ExportTargets(List.of(targets)), replica, java.time.Duration.ofSeconds(30));
    }

    @Test
    void everyTargetGetsTheSameKeysThenTheCheckpointIsMarkedPublished(@TempDir Path dir) {
        // when
        publisher(new DirectoryExportTarget(dir), s3).publishRound();

        // then
        assertThat(s3Keys).containsExactly("jwks.json", "org_1/checkpoints/000000000004-key-1.json",
                "org_1/latest-checkpoint.json");
        assertThat(dir.resolve("jwks.json")).exists();
        assertThat(dir.resolve("org_1/checkpoints/000000000004-key-1.json")).exists();
        assertThat(dir.resolve("org_1/latest-checkpoint.json")).content().contains("\"signature\":\"c2lnbmF0dXJl\"");
        verify(jdbc).update(MARK, "chk_1");
    }

    @Test
    void whileOneTargetRefusesTheCheckpointStaysUnpublishedAndIsRetriedWhole(@TempDir Path dir) {
        // given
        s3Down = true;
        CheckpointPublisher publisher = publisher(new DirectoryExportTarget(dir), s3);

        // when
        publisher.publishRound();

        // then: the directory may already have files; what matters is the mark
        assertThat(updates()).isZero();
        verify(status).failed(any(), any());

        // when: the bucket is back
        s3Down = false;
        publisher.publishRound();

        // then
        assertThat(s3Keys).contains("org_1/latest-checkpoint.json");
        verify(jdbc).update(MARK, "chk_1");
    }

    @Test
    void whileTheReplicaIsBehindNothingGoesOutAndTheCheckpointStaysUnpublished() {
        // given: the replica has not replayed the checkpoint (a failover now would lose it)
        doThrow(new ReplicaCatchUp.ReplicaBehind("behind", null)).when(replica).awaitCommitted();

        // when
        publisher(s3).publishRound();

        // then
        assertThat(s3Keys).isEmpty();
        verify(kafka, never()).send(any(ProducerRecord.class));
        assertThat(updates()).isZero();
        verify(status).failed(any(), any());
    }

    @Test
    @SuppressWarnings("unchecked")
    void theReplicaIsAwaitedAfterTheCheckpointsAreReadAndBeforeAnythingGoesOut() {
        // when
        publisher(s3).publishRound();

        // then: the wait covers what was read (a wait before the read would let a checkpoint committed in between out)
        var order = inOrder(jdbc, replica, kafka);
        order.verify(jdbc).query(anyString(), any(RowMapper.class));
        order.verify(replica).awaitCommitted();
        order.verify(kafka).send(any(ProducerRecord.class));
    }

    @Test
    void withNoTargetOnlyKafkaCounts() {
        publisher().publishRound();

        verify(jdbc).update(MARK, "chk_1");
    }

    private long updates() {
        return mockingDetails(jdbc).getInvocations().stream().filter(i -> i.getMethod().getName().equals("update")).count();
    }
}
