package io.amply.query.kafka;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Whether publishing is failing is told per topic: one topic's successes do not hide another's failures. */
class PublishingStatusTest {

    private final PublishingStatus status = new PublishingStatus(new SimpleMeterRegistry());

    @Test
    void aTopicWhoseLastAttemptFailedIsFailingWhileAnotherKeepsSending() {
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
    void aTopicIsNoLongerFailingOnceItSendsAgain() {
        // given
        status.failed("amply.ledger.entries", new TimeoutException("broker down"));
        status.failed("amply.events", new TimeoutException("broker down"));

        // when
        status.sent("amply.ledger.entries", 3);

        // then
        assertThat(status.failingTopics()).containsExactly("amply.events");
        assertThat(status.lastSuccess()).isNotNull();
    }
}
