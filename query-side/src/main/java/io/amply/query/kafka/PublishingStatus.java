package io.amply.query.kafka;

import io.amply.query.DelayTimers;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/** What Kafka publishing did last: records sent per topic (a counter) and the last error, for health and metrics. */
@Component
public class PublishingStatus {

    public record Failure(String topic, String error, Instant at) {
    }

    private final MeterRegistry meters;
    private final Map<String, Timer> delays = new ConcurrentHashMap<>();
    private final AtomicReference<Failure> lastError = new AtomicReference<>();
    private final AtomicReference<Instant> lastSuccess = new AtomicReference<>();

    PublishingStatus(MeterRegistry meters) {
        this.meters = meters;
    }

    public void sent(String topic, int records) {
        meters.counter("amply.kafka.records.sent", "topic", topic).increment(records);
        lastSuccess.set(Instant.now());
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
        lastError.set(new Failure(topic, root.getClass().getSimpleName() + ": " + root.getMessage(), Instant.now()));
    }

    public Failure lastError() {
        return lastError.get();
    }

    public Instant lastSuccess() {
        return lastSuccess.get();
    }
}
