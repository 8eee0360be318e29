package io.amply.query.ledger;

import io.amply.events.api.DatabaseUnavailable;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.config.EventProcessingConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.sql.SQLTransientException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Events the ledger projector could not handle are parked in Axon's dead-letter queue, with the
 * rest of their organisation's events behind them: that chain waits, it neither forks nor skips.
 * They show in {@code /actuator/health} (component {@code ledgerDeadLetters}, DOWN while any is
 * parked), in the gauge {@code amply.ledger.dead_letters}, and {@code /actuator/ledgerdeadletters}
 * lists them (GET) and retries them (POST) once the cause is fixed.
 * <p>
 * A letter that heads its organisation's sequence without having failed itself (it was only queued
 * behind letters that are gone) waits for nothing, and is retried by itself ({@link #releaseUnblocked}).
 * A retry racing a new event of the same organisation leaves one: the retry handles the last parked
 * letter and finds no next one while the new event, having seen the sequence still parked, is being
 * queued behind it. Before, that event, and the chain with it, waited for the next retry by hand.
 */
@Component("ledgerDeadLetters")
@Endpoint(id = "ledgerdeadletters")
class LedgerDeadLetters implements HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(LedgerDeadLetters.class);

    private final JdbcTemplate jdbc;
    private final EventProcessingConfiguration processing;

    LedgerDeadLetters(JdbcTemplate jdbc, EventProcessingConfiguration processing, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.processing = processing;
        Gauge.builder("amply.ledger.dead_letters", this, LedgerDeadLetters::count).register(meters);
    }

    double count() {
        Long count = jdbc.queryForObject("SELECT count(*) FROM dead_letter_entry WHERE processing_group = ?", Long.class,
                LedgerProjector.GROUP);
        return count == null ? 0 : count;
    }

    @ReadOperation
    List<Map<String, Object>> list() {
        return jdbc.queryForList("""
                SELECT sequence_identifier, sequence_index, payload_type, event_identifier, cause_type, cause_message,
                       enqueued_at, last_touched
                  FROM dead_letter_entry WHERE processing_group = ? ORDER BY sequence_identifier, sequence_index""",
                LedgerProjector.GROUP);
    }

    /** Retries parked sequences, oldest first; returns how many sequences were processed. */
    @WriteOperation
    Map<String, Object> retry() {
        var processor = processing.sequencedDeadLetterProcessor(LedgerProjector.GROUP)
                .orElseThrow(() -> new IllegalStateException("the ledger has no dead-letter queue configured"));
        int processed = 0;
        while (processed < 1000 && processor.processAny()) {
            processed++;
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("sequences_processed", processed);
        result.put("still_parked", (long) count());
        return result;
    }

    /** Letters that head their sequence and never failed themselves: nothing is left for them to wait for. */
    private static final String UNBLOCKED = """
            d.processing_group = ? AND d.cause_type IS NULL
               AND NOT EXISTS (SELECT 1 FROM dead_letter_entry e WHERE e.processing_group = d.processing_group
                                  AND e.sequence_identifier = d.sequence_identifier AND e.sequence_index < d.sequence_index)""";
    /**
     * Puts them first among the sequences Axon offers: Axon 4.13 pages those by {@code sequence_index >= offset}
     * rather than by an offset, so beyond its first page (the ten least recently touched heads) a head of a low
     * index could be passed over for ever. ({@code last_touched} is Axon's ISO-8601 text; the epoch sorts first.)
     */
    private static final String FIRST = "UPDATE dead_letter_entry d SET last_touched = '1970-01-01T00:00:00Z' WHERE " + UNBLOCKED;

    /**
     * Retries the sequences headed by a letter that never failed, every {@code amply.ledger.dead-letters.release-interval}.
     * One that fails where its requeue cannot record why (the whole retry's transaction rolled back, as when the
     * database refuses the batch's write) gets the failure as its cause here, so that it waits for an operator
     * instead of being tried again at every interval.
     */
    @Scheduled(fixedDelayString = "${amply.ledger.dead-letters.release-interval:PT10S}", initialDelayString = "PT10S")
    void releaseUnblocked() {
        if (jdbc.update(FIRST, LedgerProjector.GROUP) == 0) {
            return;
        }
        var processor = processing.sequencedDeadLetterProcessor(LedgerProjector.GROUP).orElse(null);
        for (int processed = 0; processor != null && processed < 1000; processed++) {
            AtomicReference<String> tried = new AtomicReference<>();
            try {
                if (!processor.process(letter -> {
                    if (letter.cause().isPresent()) {
                        return false;
                    }
                    tried.set(letter.message().getIdentifier());
                    return true;
                })) {
                    return;
                }
            } catch (RuntimeException e) {
                // Axon wraps what failed (IllegalPayloadAccessException, "completed exceptionally"): the root is the cause
                Throwable root = NestedExceptionUtils.getMostSpecificCause(e);
                if (DatabaseUnavailable.is(e) || DatabaseUnavailable.causes(e).anyMatch(
                        c -> c instanceof TransientDataAccessException || c instanceof SQLTransientException)) {
                    log.warn("retrying the parked ledger event {} failed for now; tried again in a while: {}", tried.get(), root.toString());
                    return;
                }
                String cause = String.valueOf(root.getMessage());
                jdbc.update("""
                        UPDATE dead_letter_entry SET cause_type = ?, cause_message = ?
                         WHERE processing_group = ? AND event_identifier = ? AND cause_type IS NULL""",
                        root.getClass().getName(), cause.length() > 1000 ? cause.substring(0, 1000) : cause,
                        LedgerProjector.GROUP, tried.get());
                log.warn("retrying the parked ledger event {} failed; it waits for a retry by hand", tried.get(), e);
                return;
            }
        }
    }

    @Override
    public Health health() {
        long parked = (long) count();
        return (parked == 0 ? Health.up() : Health.down()).withDetail("parked_events", parked).build();
    }
}
