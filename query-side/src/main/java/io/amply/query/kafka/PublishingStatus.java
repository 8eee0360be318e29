package io.amply.query.kafka;

import io.amply.events.api.DatabaseUnavailable;
import io.amply.query.ReplicaCatchUp;
import io.amply.query.DelayTimers;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What Kafka publishing did last, per topic: records sent (a counter), the last success and the last
 * error, for health and metrics. Per topic, because the topics are published by different tasks: with
 * one success for all, the events' publisher, sending every moment under traffic, hid checkpoints that
 * kept failing (an unreachable bucket, say) until 2026-11-28. A topic counts as failing for
 * {@code amply.processors.error-window} after any failed attempt on it, as a processor does in
 * {@code eventProcessors}, whatever went out since: one ledger chain whose records the broker
 * refuses, or one failing segment of the events' publisher, fails again on every retry (within a
 * minute) while the rest of its topic is sent, and until the twenty-fourth session those successes
 * hid it. A failure not repeated (the broker back, or another node took the work over) stops
 * counting after the window.
 */
@Component
public class PublishingStatus {

    public record Failure(String topic, String error, Instant at) {
    }

    /** One topic's last success and last error; replaced whole, never changed. */
    private record TopicState(Instant lastSuccess, Failure lastError) {
    }

    private final MeterRegistry meters;
    private final Clock clock;
    private final Duration window;
    private final Map<String, Timer> delays = new ConcurrentHashMap<>();
    private final Map<String, TopicState> topics = new ConcurrentHashMap<>();

    PublishingStatus(MeterRegistry meters, Clock clock, @Value("${amply.processors.error-window:PT2M}") Duration window) {
        this.meters = meters;
        this.clock = clock;
        this.window = window;
    }

    public void sent(String topic, int records) {
        meters.counter("amply.kafka.records.sent", "topic", topic).increment(records);
        Instant now = clock.instant();
        topics.compute(topic, (t, state) -> new TopicState(now, state == null ? null : state.lastError()));
    }

    /**
     * The broker acknowledged the records of events that happened at {@code eventTimes}: the
     * publishing delay of each, from the event's time (just before its transaction committed) to
     * the acknowledgement ({@link DelayTimers}).
     */
    public void acknowledged(String topic, List<Instant> eventTimes) {
        acknowledged(topic, eventTimes, Instant.now());
    }

    /** The same, for records the broker had acknowledged by {@code at}. */
    public void acknowledged(String topic, List<Instant> eventTimes, Instant at) {
        Timer timer = delays.computeIfAbsent(topic, t -> DelayTimers.delay("amply.kafka.publish.delay",
                "From an event's time to the broker's acknowledgement of its record").tag("topic", t).register(meters));
        eventTimes.forEach(t -> timer.record(Duration.between(t, at)));
    }

    public void failed(String topic, Exception e) {
        meters.counter("amply.kafka.publish.failures", "topic", topic, "cause", cause(e)).increment();
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        Failure failure = new Failure(topic, root.getClass().getSimpleName() + ": " + root.getMessage(), clock.instant());
        topics.compute(topic, (t, state) -> new TopicState(state == null ? null : state.lastSuccess(), failure));
    }

    /**
     * What a failed attempt failed on, the failures counter's {@code cause}: {@code broker} (Kafka refused or did not
     * answer, the topics not made), {@code database} (reading the work or recording what was sent: the records may
     * have gone out and are sent again, which consumers deduplicate), {@code replica} (the replica had not replayed
     * what was to be sent: {@link ReplicaCatchUp}), else {@code other} (a checkpoint's export, say).
     * So an alert tells the broker's trouble from the database's without reading {@code last_error}.
     */
    static String cause(Throwable failure) {
        List<Throwable> chain = DatabaseUnavailable.causes(failure).toList();
        if (chain.stream().anyMatch(e -> e instanceof ReplicaCatchUp.ReplicaBehind)) {
            return "replica";
        }
        if (chain.stream().anyMatch(e -> e instanceof org.apache.kafka.common.KafkaException
                || e instanceof org.springframework.kafka.KafkaException
                || e instanceof java.util.concurrent.TimeoutException)) { // no acknowledgement in the publisher's wait
            return "broker";
        }
        if (chain.stream().anyMatch(e -> e instanceof SQLException || e instanceof DataAccessException
                || e instanceof TransactionException)) {
            return "database";
        }
        return "other";
    }

    /** The latest error of any topic, or null. */
    public Failure lastError() {
        return topics.values().stream().map(TopicState::lastError).filter(Objects::nonNull)
                .max(Comparator.comparing(Failure::at)).orElse(null);
    }

    /** The latest success of any topic, or null. */
    public Instant lastSuccess() {
        return topics.values().stream().map(TopicState::lastSuccess).filter(Objects::nonNull)
                .max(Comparator.naturalOrder()).orElse(null);
    }

    /** The topics with a failed attempt here within the window, sorted. */
    public List<String> failingTopics() {
        Instant since = clock.instant().minus(window);
        return topics.entrySet().stream()
                .filter(e -> e.getValue().lastError() != null && e.getValue().lastError().at().isAfter(since))
                .map(Map.Entry::getKey).sorted().toList();
    }
}
