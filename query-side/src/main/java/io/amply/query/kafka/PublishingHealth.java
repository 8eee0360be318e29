package io.amply.query.kafka;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * {@code /actuator/health} component {@code kafkaPublishing}, and gauges: how many events the
 * event publisher is behind the event store, how many ledger entries and checkpoints wait to be
 * published, the last error. Publishing being behind never makes the service unhealthy for
 * traffic (nothing else waits for it); it shows as {@code DEGRADED} with the reason.
 */
@Component("kafkaPublishing")
class PublishingHealth implements HealthIndicator {

    private final EventProcessingConfiguration processing;
    private final EventStore events;
    private final JdbcTemplate jdbc;
    private final PublishingStatus status;

    PublishingHealth(EventProcessingConfiguration processing, EventStore events, JdbcTemplate jdbc, PublishingStatus status,
                     MeterRegistry meters) {
        this.processing = processing;
        this.events = events;
        this.jdbc = jdbc;
        this.status = status;
        Gauge.builder("amply.kafka.publisher.lag", this, h -> h.eventLag().orElse(-1)).description("events not yet published")
                .register(meters);
        Gauge.builder("amply.kafka.ledger.backlog", this, PublishingHealth::ledgerBacklog)
                .description("ledger entries not yet published").register(meters);
    }

    /** Events in the store beyond the slowest segment of the publisher. */
    OptionalLong eventLag() {
        OptionalLong head = events.createHeadToken() == null ? OptionalLong.of(0) : events.createHeadToken().position();
        var processor = processing.eventProcessor(KafkaEventPublisher.GROUP, StreamingEventProcessor.class);
        if (processor.isEmpty() || head.isEmpty()) {
            return OptionalLong.empty();
        }
        long slowest = Long.MAX_VALUE;
        for (EventTrackerStatus segment : processor.get().processingStatus().values()) {
            TrackingToken token = segment.getTrackingToken();
            slowest = Math.min(slowest, token == null ? 0 : token.position().orElse(0));
        }
        return OptionalLong.of(slowest == Long.MAX_VALUE ? head.getAsLong() : Math.max(0, head.getAsLong() - slowest));
    }

    double ledgerBacklog() {
        Long backlog = jdbc.queryForObject("""
                SELECT coalesce(sum(h.sequence - coalesce(p.published_sequence, 0)), 0)
                  FROM ledger_heads h LEFT JOIN ledger_publication p USING (organisation_id)""", Long.class);
        return backlog == null ? 0 : backlog;
    }

    @Override
    public Health health() {
        Map<String, Object> details = new LinkedHashMap<>();
        eventLag().ifPresent(lag -> details.put("event_lag", lag));
        details.put("ledger_entries_unpublished", (long) ledgerBacklog());
        details.put("checkpoints_unpublished", jdbc.queryForObject(
                "SELECT count(*) FROM checkpoints WHERE published_at IS NULL", Long.class));
        details.put("last_success", status.lastSuccess());
        PublishingStatus.Failure failure = status.lastError();
        if (failure != null) {
            details.put("last_error", Map.of("topic", failure.topic(), "error", failure.error(), "at", failure.at()));
        }
        boolean failing = failure != null && (status.lastSuccess() == null || failure.at().isAfter(status.lastSuccess()));
        return (failing ? Health.status("DEGRADED") : Health.up()).withDetails(details).build();
    }
}
