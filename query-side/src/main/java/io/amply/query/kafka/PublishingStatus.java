package io.amply.query.kafka;

import io.amply.query.DelayTimers;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What Kafka publishing did last, per topic: records sent (a counter), the last success and the last
 * error, for health and metrics. Per topic, because the topics are published by different tasks: with
 * one success for all, the events' publisher, sending every moment under traffic, hid checkpoints that
 * kept failing (an unreachable bucket, say) until 2026-11-28.
 */
@Component
public class PublishingStatus {

    public record Failure(String topic, String error, Instant at) {
    }

    private final MeterRegistry meters;
    private final Map<String, Timer> delays = new ConcurrentHashMap<>();
    private final Map<String, Failure> lastErrors = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastSuccesses = new ConcurrentHashMap<>();
    /** Per topic, whether its last attempt failed (by order, not by time: two attempts can share an instant). */
    private final Map<String, Boolean> lastFailed = new ConcurrentHashMap<>();

    PublishingStatus(MeterRegistry meters) {
        this.meters = meters;
    }

    public void sent(String topic, int records) {
        meters.counter("amply.kafka.records.sent", "topic", topic).increment(records);
        lastSuccesses.put(topic, Instant.now());
        lastFailed.put(topic, false);
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
        meters.counter("amply.kafka.publish.failures", "topic", topic).increment();
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        lastErrors.put(topic, new Failure(topic, root.getClass().getSimpleName() + ": " + root.getMessage(), Instant.now()));
        lastFailed.put(topic, true);
    }

    /** The latest error of any topic, or null. */
    public Failure lastError() {
        return lastErrors.values().stream().max(Comparator.comparing(Failure::at)).orElse(null);
    }

    /** The latest success of any topic, or null. */
    public Instant lastSuccess() {
        return lastSuccesses.values().stream().max(Comparator.naturalOrder()).orElse(null);
    }

    /** The topics whose last attempt failed, sorted. */
    public List<String> failingTopics() {
        return lastFailed.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).sorted().toList();
    }
}
