package io.amply.query.kafka;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.CannotCreateTransactionException;

import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** Whether publishing is failing is told per topic: one topic's successes do not hide another's failures. */
class PublishingStatusTest {

    private final MovingClock clock = new MovingClock();
    private final PublishingStatus status = new PublishingStatus(new SimpleMeterRegistry(), clock, Duration.ofMinutes(2));

    @Test
    void aTopicThatFailedIsFailingWhileAnotherKeepsSending() {
        // given: checkpoints fail (an unreachable bucket) while events keep going out
        status.sent("amply.events", 10);
        status.failed("amply.checkpoints", new IllegalStateException("export failed", new TimeoutException("bucket unreachable")));

        // when
        status.sent("amply.events", 10);

        // then: until 2026-11-28 the later success of the events hid the checkpoints' failure
        assertThat(status.failingTopics()).containsExactly("amply.checkpoints");
        assertThat(status.lastError().topic()).isEqualTo("amply.checkpoints");
        assertThat(status.lastError().error()).isEqualTo("TimeoutException: bucket unreachable");
    }

    @Test
    void aTopicWithOneFailingChainIsFailingWhileTheRestOfItIsSent() {
        // given: the ledger entries of one chain fail on every round, the other chains' go out
        status.failed("amply.ledger.entries", new TimeoutException("record too large"));
        status.sent("amply.ledger.entries", 30);
        clock.advance(Duration.ofSeconds(30));
        status.sent("amply.ledger.entries", 30);
        status.failed("amply.ledger.entries", new TimeoutException("record too large"));

        // when
        clock.advance(Duration.ofSeconds(90));
        status.sent("amply.ledger.entries", 30);

        // then: until the twenty-fourth session each round's successes made the topic healthy
        assertThat(status.failingTopics()).containsExactly("amply.ledger.entries");
        assertThat(status.lastSuccess()).isEqualTo(clock.instant());
    }

    @Test
    void aTopicIsNoLongerFailingOnceItHasNotFailedForTheWindow() {
        // given: the broker was down for both topics; it is back
        status.failed("amply.ledger.entries", new TimeoutException("broker down"));
        status.failed("amply.events", new TimeoutException("broker down"));
        clock.advance(Duration.ofSeconds(60));
        status.failed("amply.events", new TimeoutException("broker down"));
        status.sent("amply.ledger.entries", 3);

        // when
        clock.advance(Duration.ofSeconds(61));

        // then: the ledger's last failure is more than two minutes old, the events' is not
        assertThat(status.failingTopics()).containsExactly("amply.events");
    }

    @Test
    void aFailureThisNodeNeverRetriedStopsCountingAfterTheWindow() {
        // given: one failed attempt, after which another node took the topic over (it holds the lock)
        status.failed("amply.checkpoints", new TimeoutException("broker down"));
        clock.advance(Duration.ofSeconds(119));
        assertThat(status.failingTopics()).containsExactly("amply.checkpoints");

        // when
        clock.advance(Duration.ofSeconds(2));

        // then: the failure is still told as the last error, but the topic is no longer failing here
        assertThat(status.failingTopics()).isEmpty();
        assertThat(status.lastError().topic()).isEqualTo("amply.checkpoints");
    }

    /** A clock the test moves on. */
    @Test
    void eachFailureIsCountedWithWhatItFailedOnTheBrokerTheDatabaseOrSomethingElse() {
        // given
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        PublishingStatus counted = new PublishingStatus(meters, clock, Duration.ofMinutes(2));

        // when: the broker does not answer (nor acknowledge in the publisher's wait), the topics cannot be made, the database cannot record what the broker took,
        // and a checkpoint's export fails
        counted.failed("amply.events", new java.util.concurrent.ExecutionException(new TimeoutException("broker down")));
        counted.failed("amply.events", new KafkaException("the Kafka topics could not be created or checked yet"));
        counted.failed("amply.events", new java.util.concurrent.TimeoutException("no acknowledgement within 30 s"));
        counted.failed("amply.ledger.entries", new CannotCreateTransactionException("no connection",
                new SQLTransientConnectionException("pool timed out")));
        counted.failed("amply.checkpoints", new IllegalStateException("export failed", new java.io.IOException("bucket")));

        // then
        assertThat(meters.counter("amply.kafka.publish.failures", "topic", "amply.events", "cause", "broker").count()).isEqualTo(3);
        assertThat(meters.counter("amply.kafka.publish.failures", "topic", "amply.ledger.entries", "cause", "database").count())
                .isEqualTo(1);
        assertThat(meters.counter("amply.kafka.publish.failures", "topic", "amply.checkpoints", "cause", "other").count())
                .isEqualTo(1);
    }

    private static final class MovingClock extends Clock {

        private Instant now = Instant.parse("2026-11-28T02:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
