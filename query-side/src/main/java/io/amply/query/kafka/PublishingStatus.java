package io.amply.query.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/** What Kafka publishing did last: records sent per topic (a counter) and the last error, for health and metrics. */
@Component
public class PublishingStatus {

    public record Failure(String topic, String error, Instant at) {
    }

    private final MeterRegistry meters;
    private final AtomicReference<Failure> lastError = new AtomicReference<>();
    private final AtomicReference<Instant> lastSuccess = new AtomicReference<>();

    PublishingStatus(MeterRegistry meters) {
        this.meters = meters;
    }

    public void sent(String topic, int records) {
        meters.counter("amply.kafka.records.sent", "topic", topic).increment(records);
        lastSuccess.set(Instant.now());
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
