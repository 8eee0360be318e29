package io.amply.query.kafka;

import io.amply.events.OrganisationScoped;
import io.amply.query.ReplicaCatchUp;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.beans.factory.annotation.Value;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes every organisation's events to Kafka, as its own streaming processor: a batch's
 * records are sent asynchronously, and the processor's position (its token, committed with the
 * batch) advances only once the broker acknowledged all of them. If Kafka is unreachable the
 * batch fails and is retried from the same position; nothing else in the system waits for it.
 * The records are sent as the batch commits, once the replica has replayed its events
 * ({@link ReplicaCatchUp}): a failover must not take back an event consumers already have.
 */
@Component
@ProcessingGroup(KafkaEventPublisher.GROUP)
class KafkaEventPublisher {

    static final String GROUP = "kafka-publisher";
    private static final String PENDING = KafkaEventPublisher.class.getName() + ".pending";

    private final KafkaTemplate<String, byte[]> kafka;
    private final CloudEventRecords records;
    private final Duration acknowledgementTimeout;
    private final PublishingStatus status;
    private final TopicsCreated topics;
    private final ReplicaCatchUp replica;

    KafkaEventPublisher(KafkaTemplate<String, byte[]> kafka, CloudEventRecords records, PublishingStatus status,
                        TopicsCreated topics, ReplicaCatchUp replica,
                        @Value("${amply.kafka.acknowledgement-timeout:30s}") Duration acknowledgementTimeout) {
        this.kafka = kafka;
        this.topics = topics;
        this.replica = replica;
        this.records = records;
        this.status = status;
        this.acknowledgementTimeout = acknowledgementTimeout;
    }

    @EventHandler
    void on(OrganisationScoped event, EventMessage<?> message) {
        Batch batch = pending();
        try {
            topics.require();
        } catch (RuntimeException e) {
            // no topics yet: the batch fails and is retried from its position
            batch.failed(e);
            throw e;
        }
        batch.records().add(records.toRecord(message));
        batch.eventTimes().add(message.getTimestamp());
    }

    /** A unit of work's records, when each of their events happened, and whether its failure is counted already. */
    private final class Batch {
        private final List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        private final List<Instant> eventTimes = new ArrayList<>();
        private boolean counted;

        List<ProducerRecord<String, byte[]>> records() {
            return records;
        }

        List<Instant> eventTimes() {
            return eventTimes;
        }

        void failed(Exception e) {
            counted = true;
            status.failed("amply.events", e);
        }

        /**
         * The batch's transaction rolled back for a reason its handler did not see: writing or committing the
         * position failed (Axon writes it before the wait for the broker, and commits it after), as when the
         * database went away, or the segment's claim was lost meanwhile. The records went out and are sent again
         * from the old position, which consumers deduplicate; counted so that it shows.
         */
        void rolledBack(Throwable cause) {
            if (!counted) {
                failed(cause instanceof Exception e ? e : new IllegalStateException("the batch's transaction rolled back", cause));
            }
        }
    }

    private Batch pending() {
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get().root();
        return unitOfWork.getOrComputeResource(PENDING, key -> {
            Batch batch = new Batch();
            unitOfWork.onPrepareCommit(u -> publish(batch));
            unitOfWork.onRollback(u -> batch.rolledBack(u.getExecutionResult() == null ? null
                    : u.getExecutionResult().getExceptionResult()));
            return batch;
        });
    }

    /** Sends the batch's records once the replica has their events, and waits for the broker's acknowledgements. */
    private void publish(Batch batch) {
        List<CompletableFuture<?>> sends = new ArrayList<>(batch.records().size());
        try {
            replica.awaitCommitted(); // every event of the batch was read before this
            for (ProducerRecord<String, byte[]> record : batch.records()) {
                sends.add(kafka.send(record));
            }
        } catch (RuntimeException e) {
            // the replica behind, or no broker metadata within max.block.ms: retried from the batch's position
            if (Thread.currentThread().isInterrupted()) {
                batch.counted = true; // stopping, not failing
            } else {
                batch.failed(e);
            }
            throw e;
        }
        try {
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
                    .get(acknowledgementTimeout.toMillis(), TimeUnit.MILLISECONDS);
            status.sent("amply.events", sends.size());
            status.acknowledged("amply.events", batch.eventTimes());
        } catch (InterruptedException e) {
            batch.counted = true; // stopping, not failing
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka to acknowledge a batch", e);
        } catch (ExecutionException | TimeoutException e) {
            batch.failed(e);
            throw new IllegalStateException("Kafka did not acknowledge the batch; it will be retried", e);
        }
    }
}
