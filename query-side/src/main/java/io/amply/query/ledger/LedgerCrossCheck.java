package io.amply.query.ledger;

import io.amply.db.TenantContext;
import io.amply.query.readmodel.Freshness;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.transaction.TransactionDefinition;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.common.stream.BlockingStream;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rebuilds every chain from the event store into scratch space, with the projector's own mapping
 * and writer, and compares it hash for hash with {@code ledger_entries}. A divergence means the
 * ledger no longer is what the events say: tampering, or a bug.
 * <p>
 * On a live system the two sides stand at different points, and each chain is compared only as far
 * as both reach: the rebuild stops where the event store ended when it was read, and the ledger
 * where its processor's token stands (and before the organisation's first event parked in its
 * dead-letter queue). Entries of events the ledger has not handled yet are reported as
 * {@code behind}, entries of events that arrived after the rebuild read the store as {@code ahead};
 * neither is a divergence, and nothing past the nearer of the two points is compared, on either side
 * (there the chains may also differ in order). {@code complete} says whether every chain was compared
 * whole; an operator takes a consistent report as the final word only then.
 */
@Component
public class LedgerCrossCheck {

    private static final int EVENTS_PER_TRANSACTION = 2_000;

    /** Events by global index: up to {@code index} except those in {@code gaps} (a token's coverage, as SQL parameters). */
    record Coverage(long index, Long[] gaps) {

        static final Coverage NONE = new Coverage(-1, new Long[0]);

        static Coverage of(TrackingToken token) {
            if (token instanceof GapAwareTrackingToken gapAware) {
                return new Coverage(gapAware.getIndex(), gapAware.getGaps().toArray(Long[]::new));
            }
            return token == null ? NONE : new Coverage(token.position().orElse(-1), new Long[0]);
        }

        /** What every one of {@code tokens} covers (normally one: the segment of one organisation). */
        static Coverage leastOf(List<TrackingToken> tokens) {
            Coverage least = null;
            for (TrackingToken token : tokens) {
                Coverage c = of(token);
                if (least == null || c.index() < least.index()) {
                    least = c;
                }
            }
            return least == null ? NONE : least;
        }
    }

    private final EventStore events;
    private final LedgerWriter writer;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final TransactionTemplate snapshot;
    private final Serializer serializer;

    LedgerCrossCheck(EventStore events, LedgerWriter writer, JdbcTemplate jdbc, TransactionTemplate transactions,
                     @Qualifier("serializer") Serializer serializer) {
        this.events = events;
        this.writer = writer;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.serializer = serializer;
        // the ledger's token and its rows are committed together: read in one snapshot, they agree
        this.snapshot = new TransactionTemplate(transactions.getTransactionManager());
        this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        this.snapshot.setReadOnly(true);
    }

    /** Runs the whole check; one at a time, as it reuses the scratch table. */
    public synchronized Map<String, Object> run() {
        Set<String> organisations = new LinkedHashSet<>(jdbc.queryForList("SELECT organisation_id FROM ledger_heads", String.class));
        clearScratch(organisations);
        Rebuilt rebuilt = rebuild(organisations);
        List<Map<String, Object>> divergences = new ArrayList<>();
        List<Map<String, Object>> behind = new ArrayList<>();
        List<Map<String, Object>> ahead = new ArrayList<>();
        long compared = 0;
        for (String organisationId : organisations) {
            Map<String, Object> outcome = compare(organisationId, rebuilt.coverage());
            compared += (Long) outcome.remove("compared");
            long notYet = (Long) outcome.remove("behind");
            long after = (Long) outcome.remove("ahead");
            Object parkedFrom = outcome.remove("parked_from");
            if (notYet > 0) {
                Map<String, Object> chain = new LinkedHashMap<>();
                chain.put("organisation_id", organisationId);
                chain.put("entries_not_yet_in_ledger", notYet);
                chain.put("parked_from", parkedFrom);
                behind.add(chain);
            }
            if (after > 0) {
                ahead.add(Map.of("organisation_id", organisationId, "entries_after_rebuild", after));
            }
            if (outcome.get("first_divergent_sequence") != null) {
                divergences.add(outcome);
            }
        }
        clearScratch(organisations);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("consistent", divergences.isEmpty());
        // every chain compared whole: nothing behind or ahead (a consistent report with either compared less)
        report.put("complete", behind.isEmpty() && ahead.isEmpty());
        report.put("events_read", rebuilt.eventsRead());
        report.put("organisations_checked", organisations.size());
        report.put("entries_compared", compared);
        report.put("divergences", divergences);
        report.put("behind", behind);
        report.put("ahead", ahead);
        return report;
    }

    /** How many events the rebuild read, and which: what its stream's last token covers. */
    private record Rebuilt(long eventsRead, Coverage coverage) {
    }

    /**
     * Replays the event store into the scratch chains, each chain in the order the ledger met its
     * events. That is the order they became visible, not always their index order: two transactions
     * of one organisation (donations to two of its funds) can commit in the opposite order of their
     * indexes, and the ledger then appends the later index first. A replay in index order reported
     * such a chain as divergent although nothing in it had changed. An entry is held back until the
     * ledger's entries before it are rebuilt; one the ledger does not have goes where the events put
     * it, and what is held back when the events run out (the ledger has an entry no event makes)
     * goes at the end: either way the comparison then finds the chains differ.
     */
    private Rebuilt rebuild(Set<String> organisations) {
        long read = 0;
        TrackingToken last = null;
        Map<String, InLedgerOrder> chains = new HashMap<>();
        try (BlockingStream<TrackedEventMessage<?>> stream = events.openStream(null)) {
            List<EntryDraft> drafts = new ArrayList<>();
            int inBatch = 0;
            while (stream.hasNextAvailable()) {
                TrackedEventMessage<?> message = stream.nextAvailable();
                read++;
                last = message.trackingToken();
                List<EntryDraft> made = LedgerEntryMapper.draftsFor(message.getPayload(), message.getIdentifier(),
                        message.getTimestamp());
                made.forEach(d -> organisations.add(d.organisationId()));
                drafts.addAll(made);
                if (++inBatch == EVENTS_PER_TRANSACTION) {
                    flush(inLedgerOrder(drafts, chains));
                    drafts.clear();
                    inBatch = 0;
                }
            }
            List<EntryDraft> rest = inLedgerOrder(drafts, chains);
            chains.values().forEach(chain -> chain.releaseAll(rest));
            flush(rest);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the event store", e);
        }
        return new Rebuilt(read, Coverage.of(last));
    }

    /** {@code drafts} (in index order) as far as each chain's ledger order lets them go; the rest held back in {@code chains}. */
    private List<EntryDraft> inLedgerOrder(List<EntryDraft> drafts, Map<String, InLedgerOrder> chains) {
        Map<String, Long> positions = ledgerPositions(drafts);
        List<EntryDraft> ready = new ArrayList<>(drafts.size());
        for (EntryDraft draft : drafts) {
            chains.computeIfAbsent(draft.organisationId(), org -> new InLedgerOrder())
                    .add(draft, positions.get(draft.sourceEventId() + "/" + draft.sourceIndex()), ready);
        }
        return ready;
    }

    /** The ledger's sequence of each draft's entry, by "event id/index"; a draft the ledger has no entry for is absent. */
    private Map<String, Long> ledgerPositions(List<EntryDraft> drafts) {
        Map<String, Set<String>> eventsByOrganisation = new LinkedHashMap<>();
        drafts.forEach(d -> eventsByOrganisation.computeIfAbsent(d.organisationId(), org -> new LinkedHashSet<>()).add(d.sourceEventId()));
        Map<String, Long> positions = new HashMap<>();
        transactions.executeWithoutResult(status -> eventsByOrganisation.forEach((organisationId, eventIds) -> {
            jdbc.query(TenantContext.SET_ORGANISATION, rs -> null, organisationId);
            jdbc.query("""
                    SELECT source_event_id, source_index, sequence FROM ledger_entries
                     WHERE organisation_id = ? AND source_event_id = ANY (?)""",
                    rs -> {
                        positions.put(rs.getString(1) + "/" + rs.getInt(2), rs.getLong(3));
                    }, organisationId, eventIds.toArray(String[]::new));
        }));
        return positions;
    }

    /** One chain's rebuilt entries, let go in the ledger's order. */
    static final class InLedgerOrder {

        /** Held back at most this many entries: a chain this far out of the events' order is reported divergent anyway. */
        static final int MOST_HELD = 10_000;

        private long next = 1;
        private final java.util.TreeMap<Long, EntryDraft> held = new java.util.TreeMap<>();

        /** Adds {@code draft}, whose ledger sequence is {@code position} (null: not in the ledger), to {@code ready} or holds it. */
        void add(EntryDraft draft, Long position, List<EntryDraft> ready) {
            if (position == null || position < next) {
                ready.add(draft); // not in the ledger (or a sequence the ledger holds twice): the comparison reports it
                return;
            }
            held.put(position, draft);
            while (!held.isEmpty() && held.firstKey() == next) {
                ready.add(held.pollFirstEntry().getValue());
                next++;
            }
            if (held.size() > MOST_HELD) {
                releaseAll(ready);
            }
        }

        /** Lets everything held go, in the ledger's order. */
        void releaseAll(List<EntryDraft> ready) {
            if (!held.isEmpty()) {
                next = held.lastKey() + 1;
                ready.addAll(held.values());
                held.clear();
            }
        }
    }

    private void flush(List<EntryDraft> drafts) {
        if (!drafts.isEmpty()) {
            List<EntryDraft> batch = List.copyOf(drafts);
            transactions.executeWithoutResult(status -> writer.append(batch, LedgerWriter.Target.SCRATCH));
        }
    }

    /**
     * One chain, each side as far as the other reaches: the rebuilt entries of events the ledger has
     * handled (its token covers them, and they are before the organisation's first parked event),
     * against the ledger's entries of events the rebuild read (or of no event at all).
     */
    private Map<String, Object> compare(String organisationId, Coverage rebuilt) {
        return snapshot.execute(status -> {
            jdbc.query(TenantContext.SET_ORGANISATION, rs -> null, organisationId);
            Coverage handled = ledgerCoverage(organisationId);
            Long parkedFrom = jdbc.queryForObject("SELECT amply_ledger_parked_from(?)", Long.class, organisationId);
            // the first rebuilt entry the ledger cannot have yet, and the first ledger entry of an event the rebuild did not read
            Long scratchEnd = jdbc.queryForObject("""
                    SELECT min(s.sequence) FROM ledger_entries_scratch s
                      JOIN domain_event_entry e ON e.event_identifier = s.source_event_id
                     WHERE s.organisation_id = ?
                       AND (e.global_index > ? OR e.global_index = ANY (?) OR e.global_index >= ?)""",
                    Long.class, organisationId, handled.index(), handled.gaps(),
                    parkedFrom == null ? Long.MAX_VALUE : parkedFrom);
            Long ledgerEnd = jdbc.queryForObject("""
                    SELECT min(l.sequence) FROM ledger_entries l
                      JOIN domain_event_entry e ON e.event_identifier = l.source_event_id
                     WHERE l.organisation_id = ? AND (e.global_index > ? OR e.global_index = ANY (?))""",
                    Long.class, organisationId, rebuilt.index(), rebuilt.gaps());
            long scratchBound = scratchEnd == null ? Long.MAX_VALUE : scratchEnd - 1;
            long ledgerBound = ledgerEnd == null ? Long.MAX_VALUE : ledgerEnd - 1;
            // both sides as far as both reach: past either bound the two chains may differ in order too (an event
            // the rebuild missed goes before one it read, in the ledger), so nothing beyond it is compared
            long bound = Math.min(scratchBound, ledgerBound);
            Map<String, Object> outcome = new LinkedHashMap<>();
            outcome.put("organisation_id", organisationId);
            outcome.put("compared", jdbc.queryForObject(
                    "SELECT count(*) FROM ledger_entries_scratch WHERE organisation_id = ? AND sequence <= ?",
                    Long.class, organisationId, bound));
            outcome.put("behind", jdbc.queryForObject(
                    "SELECT count(*) FROM ledger_entries_scratch WHERE organisation_id = ? AND sequence > ?",
                    Long.class, organisationId, scratchBound));
            outcome.put("ahead", jdbc.queryForObject(
                    "SELECT count(*) FROM ledger_entries WHERE organisation_id = ? AND sequence > ?",
                    Long.class, organisationId, ledgerBound));
            outcome.put("parked_from", parkedFrom);
            // every column the hashes cover, and the hashes: a changed amount is caught even
            // when the forger left the stored hashes alone (the metadata by meaning: json has no "=",
            // and rows from before V20 keep jsonb's spacing)
            List<Map<String, Object>> first = jdbc.queryForList("""
                    SELECT coalesce(l.sequence, s.sequence) AS sequence, l.entry_hash AS ledger, s.entry_hash AS rebuilt
                      FROM (SELECT * FROM ledger_entries WHERE organisation_id = ? AND sequence <= ?) l
                      FULL JOIN (SELECT * FROM ledger_entries_scratch WHERE organisation_id = ? AND sequence <= ?) s
                        ON l.sequence = s.sequence
                     WHERE (l.id, l.type, l.amount, l.currency, l.visibility, l.metadata::jsonb, l.created_at, l.content_hash,
                            l.prev_entry_hash, l.entry_hash)
                           IS DISTINCT FROM
                           (s.id, s.type, s.amount, s.currency, s.visibility, s.metadata::jsonb, s.created_at, s.content_hash,
                            s.prev_entry_hash, s.entry_hash)
                     ORDER BY 1 LIMIT 1""", organisationId, bound, organisationId, bound);
            outcome.put("first_divergent_sequence", first.isEmpty() ? null : first.get(0).get("sequence"));
            outcome.put("ledger_entry_hash", first.isEmpty() ? null : first.get(0).get("ledger"));
            outcome.put("rebuilt_entry_hash", first.isEmpty() ? null : first.get(0).get("rebuilt"));
            return outcome;
        });
    }

    /** What the ledger's processor has handled of this organisation's events: its segment's token. */
    private Coverage ledgerCoverage(String organisationId) {
        Map<Integer, TrackingToken> bySegment = new HashMap<>();
        jdbc.query("SELECT segment, token, token_type FROM token_entry WHERE processor_name = ?",
                rs -> {
                    bySegment.put(rs.getInt("segment"), Freshness.token(rs, serializer));
                }, LedgerProjector.GROUP);
        return bySegment.isEmpty() ? Coverage.NONE : Coverage.leastOf(Freshness.own(bySegment, organisationId));
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
