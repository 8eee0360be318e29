package io.amply.query.ledger;

import io.amply.db.TenantContext;
import io.amply.ledger.hash.LedgerEntry;
import io.amply.ledger.hash.LedgerHashes;
import org.postgresql.util.PSQLException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Chains drafts onto their organisations' heads and appends them, one INSERT per organisation,
 * inside the caller's transaction. Safe against redelivery (entries of events already in the
 * ledger are skipped) and against a second writer (an advisory lock per organisation, and the
 * database's unique (organisation_id, sequence) as the last word). The same code rebuilds
 * chains into the scratch table for the cross-check.
 */
@Component
class LedgerWriter {

    /** Where entries go: the ledger itself (with its chain heads), or the scratch table. */
    enum Target {
        LEDGER("ledger_entries", true, true),
        SCRATCH("ledger_entries_scratch", false, false);

        final String table;
        final boolean tracksHeads;
        /** The table refuses a second entry from the same event part (a unique constraint). */
        final boolean uniqueSources;

        Target(String table, boolean tracksHeads, boolean uniqueSources) {
            this.table = table;
            this.tracksHeads = tracksHeads;
            this.uniqueSources = uniqueSources;
        }
    }

    private final JdbcTemplate jdbc;

    LedgerWriter(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Appends the drafts to the ledger, grouped by organisation in the order given; returns the entries written. */
    List<LedgerEntry> append(List<EntryDraft> drafts) {
        return append(drafts, Target.LEDGER);
    }

    List<LedgerEntry> append(List<EntryDraft> drafts, Target target) {
        Map<String, List<EntryDraft>> byOrganisation = new LinkedHashMap<>();
        for (EntryDraft draft : drafts) {
            byOrganisation.computeIfAbsent(draft.organisationId(), k -> new ArrayList<>()).add(draft);
        }
        List<LedgerEntry> written = new ArrayList<>(drafts.size());
        byOrganisation.forEach((organisationId, pending) -> written.addAll(
                jdbc.execute((ConnectionCallback<List<LedgerEntry>>) c -> append(c, organisationId, pending, target))));
        return written;
    }

    private List<LedgerEntry> append(Connection connection, String organisationId, List<EntryDraft> drafts, Target target)
            throws SQLException {
        try (PreparedStatement context = connection.prepareStatement(
                TenantContext.SET_ORGANISATION + ", pg_advisory_xact_lock(hashtextextended(?, " + target.ordinal() + "))")) {
            context.setString(1, organisationId);
            context.setString(2, organisationId);
            context.execute();
        }
        if (!target.uniqueSources) {
            return chain(connection, organisationId, drafts, target, alreadyWritten(connection, drafts, target));
        }
        // Optimistic: an event is almost never delivered twice, so append without looking first and
        // let the unique (source_event_id, source_index) refuse a repeat; only then look, and append
        // what is new. (Looking first cost more than the insert itself on long chains: row-level
        // security adds the organisation to the lookup and the planner then walks the chain.)
        Savepoint beforeAppend = connection.setSavepoint();
        try {
            List<LedgerEntry> entries = chain(connection, organisationId, drafts, target, Set.of());
            connection.releaseSavepoint(beforeAppend);
            return entries;
        } catch (SQLException e) {
            if (!isRepeat(e)) {
                throw e;
            }
            connection.rollback(beforeAppend);
            return chain(connection, organisationId, drafts, target, alreadyWritten(connection, drafts, target));
        }
    }

    /**
     * A unique violation on what an event's entry is identified by (its id, derived from the event,
     * or its source) means the event is already in the ledger; one on (organisation_id, sequence)
     * means another writer appended first, which is not this and must fail the batch.
     */
    static boolean isRepeat(SQLException e) {
        // by the constraint's name as the server reports it, not the message's text, which is in the server's
        // language (lc_messages) and quotes names its own way; a batch's failure carries it in its next exception
        for (Throwable cause = e; cause != null; cause = cause instanceof SQLException sql && sql.getNextException() != null
                ? sql.getNextException() : cause.getCause()) {
            if (cause instanceof PSQLException psql && "23505".equals(psql.getSQLState()) && psql.getServerErrorMessage() != null
                    && REPEATS.contains(psql.getServerErrorMessage().getConstraint())) {
                return true;
            }
        }
        return false;
    }

    /** The unique keys an event's entry is identified by: its id, and its source (event and index). */
    private static final Set<String> REPEATS = Set.of("ledger_entries_pkey", "ledger_entries_source");

    private List<LedgerEntry> chain(Connection connection, String organisationId, List<EntryDraft> drafts, Target target,
                                    Set<String> alreadyWritten) throws SQLException {
        long sequence = 0;
        String prev = null;
        try (PreparedStatement head = connection.prepareStatement("SELECT sequence, entry_hash FROM " + target.table
                + " WHERE organisation_id = ? ORDER BY sequence DESC LIMIT 1")) {
            head.setString(1, organisationId);
            try (ResultSet rs = head.executeQuery()) {
                if (rs.next()) {
                    sequence = rs.getLong(1);
                    prev = rs.getString(2);
                }
            }
        }
        List<LedgerEntry> entries = new ArrayList<>(drafts.size());
        List<EntryDraft> fresh = new ArrayList<>(drafts.size());
        Map<String, String> receivedEntryByDonation = new HashMap<>();
        for (EntryDraft draft : drafts) {
            if ("donation_received".equals(draft.type())) {
                receivedEntryByDonation.put(draft.metadata().path("donation_id").asText(), draft.id());
            }
            if (alreadyWritten.contains(draft.sourceEventId() + "/" + draft.sourceIndex())) {
                continue;
            }
            if (draft.refundsDonationId() != null) {
                draft.metadata().put("original_entry_id", receivedEntryByDonation.computeIfAbsent(
                        draft.refundsDonationId(), donation -> receivedEntryOf(connection, organisationId, donation, target)));
            }
            LedgerEntry entry = LedgerHashes.seal(draft.id(), organisationId, ++sequence, draft.type(), draft.amount(),
                    draft.currency(), draft.visibility(), draft.metadata(), draft.createdAt(), prev);
            entries.add(entry);
            fresh.add(draft);
            prev = entry.entryHash();
        }
        if (entries.isEmpty()) {
            return entries;
        }
        insert(connection, entries, fresh, target);
        if (target.tracksHeads) {
            LedgerEntry head = entries.get(entries.size() - 1);
            try (PreparedStatement heads = connection.prepareStatement("""
                    INSERT INTO ledger_heads (organisation_id, sequence, entry_hash, updated_at) VALUES (?, ?, ?, now())
                    ON CONFLICT (organisation_id) DO UPDATE
                       SET sequence = EXCLUDED.sequence, entry_hash = EXCLUDED.entry_hash, updated_at = now()""")) {
                heads.setString(1, organisationId);
                heads.setLong(2, head.sequence());
                heads.setString(3, head.entryHash());
                heads.executeUpdate();
            }
        }
        return entries;
    }

    private static void insert(Connection connection, List<LedgerEntry> entries, List<EntryDraft> drafts, Target target)
            throws SQLException {
        int n = entries.size();
        // Each column as one array literal, built here in one pass into a buffer sized for the batch:
        // pgjdbc's createArrayOf appended character by character to an unsized one, a fifth of the
        // writer's own time per batch (JFR).
        ArrayLiteral[] columns = new ArrayLiteral[14];
        for (int c = 0; c < columns.length; c++) {
            columns[c] = new ArrayLiteral(n * (c == 7 ? 160 : c == 2 || c == 4 || c == 13 ? 21 : 80));
        }
        for (int i = 0; i < n; i++) {
            LedgerEntry e = entries.get(i);
            EntryDraft d = drafts.get(i);
            columns[0].text(e.id());
            columns[1].text(e.organisationId());
            columns[2].number(e.sequence());
            columns[3].text(e.type());
            columns[4].number(e.amount());
            columns[5].text(e.currency());
            columns[6].text(e.visibility());
            columns[7].text(e.metadata().toString());
            columns[8].text(e.createdAt());
            columns[9].text(e.contentHash());
            columns[10].text(e.prevEntryHash());
            columns[11].text(e.entryHash());
            columns[12].text(d.sourceEventId());
            columns[13].number(d.sourceIndex());
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + target.table + """
                 (id, organisation_id, sequence, type, amount, currency, visibility, metadata, created_at, content_hash,
                  prev_entry_hash, entry_hash, source_event_id, source_index)
                SELECT * FROM unnest(?::varchar[], ?::varchar[], ?::bigint[], ?::varchar[], ?::bigint[], ?::varchar[],
                                     ?::varchar[], ?::json[], ?::timestamptz[], ?::varchar[], ?::varchar[], ?::varchar[],
                                     ?::varchar[], ?::smallint[])""")) {
            for (int c = 0; c < columns.length; c++) {
                // sent untyped, so the server reads it with the array type of the cast
                insert.setObject(c + 1, columns[c].close(), Types.OTHER);
            }
            insert.executeUpdate();
        }
    }

    /** The id of a donation's donation_received entry, which a refund references. */
    private static String receivedEntryOf(Connection connection, String organisationId, String donationId, Target target) {
        try (PreparedStatement query = connection.prepareStatement("SELECT id FROM " + target.table
                + " WHERE organisation_id = ? AND type = 'donation_received' AND metadata ->> 'donation_id' = ?")) {
            query.setString(1, organisationId);
            query.setString(2, donationId);
            try (ResultSet rs = query.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no donation_received entry for refunded donation " + donationId);
                }
                return rs.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not look up the entry of donation " + donationId, e);
        }
    }

    private static Set<String> alreadyWritten(Connection connection, List<EntryDraft> drafts,
                                              Target target) throws SQLException {
        Set<String> written = new HashSet<>();
        String[] eventIds = drafts.stream().map(EntryDraft::sourceEventId).distinct().toArray(String[]::new);
        // the ids as a relation, probed one by one through the source index: written as "= ANY (?)" the
        // cached generic plan walked the organisation's whole chain comparing each row with every id
        // (measured with perf: most of the append's time, growing with the chain)
        try (PreparedStatement query = connection.prepareStatement("SELECT l.source_event_id, l.source_index FROM unnest(?::varchar[]) AS s(id) JOIN "
                + target.table + " l ON l.source_event_id = s.id")) {
            query.setArray(1, connection.createArrayOf("varchar", eventIds));
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    written.add(rs.getString(1) + "/" + rs.getShort(2));
                }
            }
        }
        return written;
    }
}
