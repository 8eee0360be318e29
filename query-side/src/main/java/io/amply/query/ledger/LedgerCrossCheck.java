package io.amply.query.ledger;

import io.amply.db.TenantContext;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.common.stream.BlockingStream;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rebuilds every chain from the event store into scratch space, with the projector's own mapping
 * and writer, and compares it hash for hash with {@code ledger_entries}. A divergence means the
 * ledger no longer is what the events say: tampering, or a bug.
 */
@Component
public class LedgerCrossCheck {

    private static final int EVENTS_PER_TRANSACTION = 2_000;

    private final EventStore events;
    private final LedgerWriter writer;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;

    LedgerCrossCheck(EventStore events, LedgerWriter writer, JdbcTemplate jdbc, TransactionTemplate transactions) {
        this.events = events;
        this.writer = writer;
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /** Runs the whole check; one at a time, as it reuses the scratch table. */
    public synchronized Map<String, Object> run() {
        Set<String> organisations = new LinkedHashSet<>(jdbc.queryForList("SELECT organisation_id FROM ledger_heads", String.class));
        clearScratch(organisations);
        long eventsRead = rebuild(organisations);
        List<Map<String, Object>> divergences = new ArrayList<>();
        long compared = 0;
        for (String organisationId : organisations) {
            Map<String, Object> outcome = compare(organisationId);
            compared += (Long) outcome.remove("compared");
            if (outcome.get("first_divergent_sequence") != null) {
                divergences.add(outcome);
            }
        }
        clearScratch(organisations);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("consistent", divergences.isEmpty());
        report.put("events_read", eventsRead);
        report.put("organisations_checked", organisations.size());
        report.put("entries_compared", compared);
        report.put("divergences", divergences);
        return report;
    }

    private long rebuild(Set<String> organisations) {
        long read = 0;
        try (BlockingStream<TrackedEventMessage<?>> stream = events.openStream(null)) {
            List<EntryDraft> drafts = new ArrayList<>();
            int inBatch = 0;
            while (stream.hasNextAvailable()) {
                TrackedEventMessage<?> message = stream.nextAvailable();
                read++;
                List<EntryDraft> made = LedgerEntryMapper.draftsFor(message.getPayload(), message.getIdentifier(),
                        message.getTimestamp());
                made.forEach(d -> organisations.add(d.organisationId()));
                drafts.addAll(made);
                if (++inBatch == EVENTS_PER_TRANSACTION) {
                    flush(drafts);
                    inBatch = 0;
                }
            }
            flush(drafts);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the event store", e);
        }
        return read;
    }

    private void flush(List<EntryDraft> drafts) {
        if (!drafts.isEmpty()) {
            List<EntryDraft> batch = List.copyOf(drafts);
            transactions.executeWithoutResult(status -> writer.append(batch, LedgerWriter.Target.SCRATCH));
            drafts.clear();
        }
    }

    private Map<String, Object> compare(String organisationId) {
        return transactions.execute(status -> {
            jdbc.query(TenantContext.SET_ORGANISATION, rs -> null, organisationId);
            Map<String, Object> outcome = new LinkedHashMap<>();
            outcome.put("organisation_id", organisationId);
            outcome.put("compared", jdbc.queryForObject(
                    "SELECT count(*) FROM ledger_entries_scratch WHERE organisation_id = ?", Long.class, organisationId));
            // every column the hashes cover, and the hashes: a changed amount is caught even
            // when the forger left the stored hashes alone (the metadata by meaning: json has no "=",
            // and rows from before V20 keep jsonb's spacing)
            List<Map<String, Object>> first = jdbc.queryForList("""
                    SELECT coalesce(l.sequence, s.sequence) AS sequence, l.entry_hash AS ledger, s.entry_hash AS rebuilt
                      FROM (SELECT * FROM ledger_entries WHERE organisation_id = ?) l
                      FULL JOIN (SELECT * FROM ledger_entries_scratch WHERE organisation_id = ?) s
                        ON l.sequence = s.sequence
                     WHERE (l.id, l.type, l.amount, l.currency, l.visibility, l.metadata::jsonb, l.created_at, l.content_hash,
                            l.prev_entry_hash, l.entry_hash)
                           IS DISTINCT FROM
                           (s.id, s.type, s.amount, s.currency, s.visibility, s.metadata::jsonb, s.created_at, s.content_hash,
                            s.prev_entry_hash, s.entry_hash)
                     ORDER BY 1 LIMIT 1""", organisationId, organisationId);
            outcome.put("first_divergent_sequence", first.isEmpty() ? null : first.get(0).get("sequence"));
            outcome.put("ledger_entry_hash", first.isEmpty() ? null : first.get(0).get("ledger"));
            outcome.put("rebuilt_entry_hash", first.isEmpty() ? null : first.get(0).get("rebuilt"));
            return outcome;
        });
    }

    private void clearScratch(Set<String> organisations) {
        for (String organisationId : organisations) {
            transactions.executeWithoutResult(status -> {
                jdbc.query(TenantContext.SET_ORGANISATION, rs -> null, organisationId);
                jdbc.update("DELETE FROM ledger_entries_scratch WHERE organisation_id = ?", organisationId);
            });
        }
    }
}
