package io.amply.query.kafka;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.amply.query.readmodel.ProcessorLag;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /actuator/health} component {@code kafkaPublishing}, and gauges: how many events the
 * event publisher is behind the event store, how many ledger entries and checkpoints wait to be
 * published, the last error. Publishing being behind never makes the service unhealthy for
 * traffic (nothing else waits for it); a topic with a failed attempt within the error window shows as
 * {@code DEGRADED}, named in {@code failing_topics} ({@link PublishingStatus}).
 */
@Component("kafkaPublishing")
class PublishingHealth implements HealthIndicator {

    private final EventStore events;
    private final JdbcTemplate jdbc;
    private final PublishingStatus status;
    private final Serializer serializer;

    PublishingHealth(EventStore events, JdbcTemplate jdbc, PublishingStatus status, @Qualifier("serializer") Serializer serializer,
                     MeterRegistry meters) {
        this.events = events;
        this.jdbc = jdbc;
        this.status = status;
        this.serializer = serializer;
        Gauge.builder("amply.kafka.publisher.lag", this, PublishingHealth::eventLag).description("events not yet published")
                .register(meters);
        Gauge.builder("amply.kafka.ledger.backlog", this, PublishingHealth::ledgerBacklog)
                .description("ledger entries not yet published").register(meters);
    }

    /**
     * Events in the store beyond the publisher's slowest segment, from the token table: the same on every
     * node (until 2026-11-28 it was read from this node's own segments, and a node that held none reported
     * the whole event store).
     */
    long eventLag() {
        return ProcessorLag.behind(KafkaEventPublisher.GROUP, events, jdbc, serializer);
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
        details.put("event_lag", eventLag());
        details.put("ledger_entries_unpublished", (long) ledgerBacklog());
        details.put("checkpoints_unpublished", jdbc.queryForObject(
                "SELECT count(*) FROM checkpoints WHERE published_at IS NULL", Long.class));
        details.put("last_success", status.lastSuccess());
        PublishingStatus.Failure failure = status.lastError();
        if (failure != null) {
            details.put("last_error", Map.of("topic", failure.topic(), "error", failure.error(), "at", failure.at()));
        }
        List<String> failing = status.failingTopics();
        details.put("failing_topics", failing);
        return (failing.isEmpty() ? Health.up() : Health.status("DEGRADED")).withDetails(details).build();
    }
}
