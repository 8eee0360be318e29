package io.amply.query.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.amply.events.fund.FundClosedEvent;
import io.amply.query.ReplicaCatchUp;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.errors.TimeoutException;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.kafka.core.KafkaTemplate;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** Every failed batch of the events publisher is counted once, with what it failed on. */
class KafkaEventPublisherTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final PublishingStatus status = new PublishingStatus(meters, Clock.systemUTC(), Duration.ofMinutes(2));
    @SuppressWarnings("unchecked")
    private final KafkaTemplate<String, byte[]> kafka = mock(KafkaTemplate.class);
    private final ReplicaCatchUp replica = mock(ReplicaCatchUp.class); // awaitCommitted() returns: the replica has it all
    private final KafkaEventPublisher publisher = new KafkaEventPublisher(kafka, new CloudEventRecords(new ObjectMapper()), status,
            new TopicsCreated(() -> true, Duration.ofSeconds(10), Clock.systemUTC()), replica, Duration.ofSeconds(1));

    @Test
    void aBatchWhosePositionCannotBeRecordedAfterTheBrokersAcknowledgementCountsAsTheDatabasesFailure() {
        // given: the broker acknowledges, then the transaction recording the position fails (the database went away)
        when(kafka.send(any(org.apache.kafka.clients.producer.ProducerRecord.class))).thenReturn(CompletableFuture.completedFuture(null));
        UnitOfWork<EventMessage<?>> batch = DefaultUnitOfWork.startAndGet(event());
        batch.onCommit(u -> {
            throw new DataAccessResourceFailureException("connection lost while committing the token");
        });

        // when
        Throwable thrown = catchThrowable(() -> batch.execute(
                () -> publisher.on((FundClosedEvent) batch.getMessage().getPayload(), batch.getMessage())));

        // then: until the twenty-eighth session only the processor's health saw it
        assertThat(thrown).isInstanceOf(DataAccessResourceFailureException.class);
        assertThat(failures("database")).isEqualTo(1);
        assertThat(failures("broker")).isZero();
        assertThat(status.failingTopics()).containsExactly("amply.events");
    }

    @Test
    void aBatchTheBrokerDidNotAcknowledgeIsCountedOnceAsTheBrokers() {
        // given: the broker refuses the record
        when(kafka.send(any(org.apache.kafka.clients.producer.ProducerRecord.class)))
                .thenReturn(CompletableFuture.failedFuture(new TimeoutException("expired before acknowledgement")));
        UnitOfWork<EventMessage<?>> batch = DefaultUnitOfWork.startAndGet(event());

        // when: the wait for acknowledgements fails, and the transaction rolls back for it
        Throwable thrown = catchThrowable(() -> batch.execute(
                () -> publisher.on((FundClosedEvent) batch.getMessage().getPayload(), batch.getMessage())));
        assertThat(thrown).hasMessageContaining("Kafka did not acknowledge");

        // then: one failure, the broker's, not a second one for the rollback it caused
        assertThat(failures("broker")).isEqualTo(1);
        assertThat(failures("database") + failures("other")).isZero();
    }

    @Test
    void aBatchThatCommitsCountsNoFailure() {
        // given
        when(kafka.send(any(org.apache.kafka.clients.producer.ProducerRecord.class))).thenReturn(CompletableFuture.completedFuture(null));
        UnitOfWork<EventMessage<?>> batch = DefaultUnitOfWork.startAndGet(event());

        // when
        batch.execute(() -> publisher.on((FundClosedEvent) batch.getMessage().getPayload(), batch.getMessage()));

        // then
        assertThat(failures("broker") + failures("database") + failures("other")).isZero();
        assertThat(status.failingTopics()).isEmpty();
    }

    @Test
    void aBatchWhoseEventsTheReplicaHasNotReplayedSendsNothingAndCountsAsTheReplicas() {
        // given: the replica behind the batch's events (a failover now would take them back)
        doThrow(new ReplicaCatchUp.ReplicaBehind("behind", null)).when(replica).awaitCommitted();
        UnitOfWork<EventMessage<?>> batch = DefaultUnitOfWork.startAndGet(event());

        // when
        Throwable thrown = catchThrowable(() -> batch.execute(
                () -> publisher.on((FundClosedEvent) batch.getMessage().getPayload(), batch.getMessage())));

        // then: retried from its position, and nothing reached the broker meanwhile
        assertThat(thrown).isInstanceOf(ReplicaCatchUp.ReplicaBehind.class);
        verify(kafka, never()).send(any(org.apache.kafka.clients.producer.ProducerRecord.class));
        assertThat(failures("replica")).isEqualTo(1);
        assertThat(failures("broker") + failures("database") + failures("other")).isZero();
    }

    private static EventMessage<?> event() {
        return GenericEventMessage.asEventMessage(new FundClosedEvent("fund_1", "org_1", "usr_1"));
    }

    private double failures(String cause) {
        var counter = meters.find("amply.kafka.publish.failures").tag("topic", "amply.events").tag("cause", cause).counter();
        return counter == null ? 0 : counter.count();
    }
}
