package io.amply.query.readmodel;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.ErrorContext;
import org.axonframework.eventhandling.ErrorHandler;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code /actuator/health} component {@code eventProcessors}: every streaming processor of the
 * query side (the ledger, each read model, the Kafka publisher), how many events it is behind the
 * event store (its slowest segment, whichever node holds it), and its last error. A processor
 * whose batch fails retries it with back-off (up to a minute) and holds up the organisations of
 * that segment: read models have no dead-letter queue (the ledger parks what it cannot write, see
 * {@code ledgerDeadLetters}). The component is {@code DEGRADED} while a processor failed within
 * {@code amply.processors.error-window}: reads are still served, but some stop moving. Gauges
 * {@code amply.processor.lag{processor}}, {@code amply.processor.gaps{processor}} and
 * {@code amply.processor.failures{processor}}.
 */
@Configuration(proxyBeanMethods = false)
class ProcessorsHealth {

    /** The last failure of a processor's batch and how many there were. */
    record Failure(String error, Instant at, long count) {
    }

    private final Map<String, Failure> failures = new ConcurrentHashMap<>();

    /** Records every failed batch, then fails it as before (the batch is retried; nothing is skipped). */
    @Bean
    ConfigurerModule recordProcessorFailures(Clock clock) {
        ErrorHandler recording = (ErrorContext context) -> {
            Throwable error = context.error();
            failures.merge(context.eventProcessor(),
                    new Failure(error.getClass().getSimpleName() + ": " + error.getMessage(), clock.instant(), 1),
                    (before, now) -> new Failure(now.error(), now.at(), before.count() + 1));
            PropagatingErrorHandler.instance().handleError(context);
        };
        return configurer -> configurer.eventProcessing().registerDefaultErrorHandler(c -> recording);
    }

    @Bean("eventProcessors")
    HealthIndicator eventProcessors(EventProcessingConfiguration processing, EventStore events, JdbcTemplate jdbc,
                                    @Qualifier("serializer") Serializer serializer, Clock clock,
                                    @Value("${amply.processors.error-window:PT2M}") Duration errorWindow) {
        return () -> {
            Map<String, Object> details = new TreeMap<>();
            boolean failing = false;
            for (String name : processing.eventProcessors().keySet()) {
                Map<String, Object> state = new LinkedHashMap<>();
                state.put("running", processing.eventProcessors().get(name).isRunning());
                state.put("behind", ProcessorLag.behind(name, events, jdbc, serializer));
                Failure failure = failures.get(name);
                if (failure != null) {
                    boolean recent = failure.at().isAfter(clock.instant().minus(errorWindow));
                    failing |= recent;
                    state.put("last_error", Map.of("error", failure.error(), "at", failure.at().toString(),
                            "failed_batches", failure.count(), "recent", recent));
                }
                details.put(name, state);
            }
            return (failing ? Health.status("DEGRADED") : Health.up()).withDetails(details).build();
        };
    }

    /** Once Axon has built the processors (not yet while these beans are made). */
    @EventListener(ApplicationStartedEvent.class)
    void registerGauges(ApplicationStartedEvent started) {
        var context = started.getApplicationContext();
        EventProcessingConfiguration processing = context.getBean(EventProcessingConfiguration.class);
        EventStore events = context.getBean(EventStore.class);
        JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
        Serializer serializer = context.getBean("serializer", Serializer.class);
        MeterRegistry meters = context.getBean(MeterRegistry.class);
        processing.eventProcessors().keySet().forEach(name -> {
            Gauge.builder("amply.processor.lag", () -> ProcessorLag.behind(name, events, jdbc, serializer)).tag("processor", name)
                    .description("events in the store beyond the processor's slowest segment").register(meters);
            Gauge.builder("amply.processor.gaps", () -> ProcessorLag.gaps(name, jdbc, serializer)).tag("processor", name)
                    .description("the most gaps (indexes read past, not committed) a segment's token carries").register(meters);
            Gauge.builder("amply.processor.failures", () -> {
                Failure failure = failures.get(name);
                return failure == null ? 0 : failure.count();
            }).tag("processor", name).description("failed batches of the processor since start-up").register(meters);
        });
    }
}
