package io.amply.query.kafka;

import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopicsCreatedTest {

    /** Spring's admin as it answers: false while the broker does not, true once the topics are made. */
    private static final class Admin implements BooleanSupplier {
        private final Deque<Object> answers;
        int attempts;

        /** Each attempt's answer in turn: true, false, or an exception to throw (as Spring's does once the context runs). */
        Admin(Object... answers) {
            this.answers = new ArrayDeque<>(List.of(answers));
        }

        @Override
        public boolean getAsBoolean() {
            attempts++;
            Object answer = answers.isEmpty() ? Boolean.TRUE : answers.pop();
            if (answer instanceof RuntimeException e) {
                throw e;
            }
            return (Boolean) answer;
        }
    }

    private Instant now = Instant.parse("2026-11-28T10:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Test
    void nothingIsSentWhileTheTopicsCouldNotBeMadeAndTheyAreTriedAgainAfterTheInterval() {
        // given: a broker that did not answer at start-up
        Admin admin = new Admin(false, true);
        TopicsCreated topics = new TopicsCreated(admin, Duration.ofSeconds(10), clock);

        // when / then: the publisher is refused, and asking again at once does not call the broker again
        assertThatThrownBy(topics::require).isInstanceOf(KafkaException.class).hasMessageContaining("broker");
        assertThatThrownBy(topics::require).isInstanceOf(KafkaException.class);
        assertThat(admin.attempts).isOne();

        // when: the interval has passed and the broker answers
        now = now.plusSeconds(10);
        topics.require();

        // then: the topics were made, and are not asked for again
        topics.require();
        assertThat(admin.attempts).isEqualTo(2);
    }

    @Test
    void anAdminThatThrowsIsTriedAgainOnlyAfterTheIntervalAndItsCauseIsTold() {
        // given: Spring's admin once the context runs, with the broker down
        Admin admin = new Admin(new IllegalStateException("Could not configure topics",
                new RuntimeException("TimeoutException: Timed out waiting for a node assignment")), true);
        TopicsCreated topics = new TopicsCreated(admin, Duration.ofSeconds(10), clock);

        // when / then: refused with the cause, and not tried again within the interval
        assertThatThrownBy(topics::require).hasMessageContaining("node assignment");
        now = now.plusSeconds(5);
        assertThatThrownBy(topics::require).hasMessageContaining("node assignment");
        assertThat(admin.attempts).isOne();

        // when: the interval has passed
        now = now.plusSeconds(5);
        topics.require();

        // then
        assertThat(admin.attempts).isEqualTo(2);
    }

    @Test
    void theIntervalCountsFromTheEndOfASlowAttempt() {
        // given: an attempt that takes longer than the interval (the admin waits for a broker that does not answer)
        TopicsCreated topics = new TopicsCreated(() -> {
            now = now.plusSeconds(15);
            return false;
        }, Duration.ofSeconds(10), clock);
        assertThatThrownBy(topics::require).isInstanceOf(KafkaException.class);

        // when: asked again right after it
        now = now.plusSeconds(1);

        // then: refused without another attempt (which would have moved the clock again)
        Instant before = now;
        assertThatThrownBy(topics::require).isInstanceOf(KafkaException.class);
        assertThat(now).isEqualTo(before);
    }

    @Test
    void topicsInPlaceAtTheFirstAskAreCheckedOnce() {
        // given
        Admin admin = new Admin(true);
        TopicsCreated topics = new TopicsCreated(admin, Duration.ofSeconds(10), clock);

        // when
        topics.require();
        topics.require();

        // then
        assertThat(admin.attempts).isOne();
    }
}
