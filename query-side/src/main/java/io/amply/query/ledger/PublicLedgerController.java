package io.amply.query.ledger;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.amply.db.TenantContext;
import io.amply.events.api.ApiData;
import io.amply.events.api.ApiEnvelope;
import io.amply.events.api.ApiErrorCode;
import io.amply.ledger.hash.Checkpoint;
import io.amply.ledger.hash.LedgerEntry;
import io.amply.ledger.hash.LedgerTime;
import io.amply.query.Replica;
import io.amply.query.checkpoint.Checkpoints;
import io.amply.query.readmodel.ExactSums;
import io.amply.query.readmodel.Freshness;
import io.amply.query.security.Owners;
import io.amply.query.security.Readers;
import io.amply.query.web.ApiException;
import io.amply.query.web.ChainReads;
import io.amply.query.web.Cursors;
import io.amply.query.web.RequestIds;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An organisation's ledger, read from the replica: the public pages (hashes of every entry always,
 * content only where its visibility allows, ledger-hash-v1 §5), the public per-type-per-month
 * totals, a donor's receipt, and the full ledger for the organisation's own roles. Pages are
 * keyset pages by sequence: the same cost at any depth, stable under concurrent appends.
 */
@RestController
class PublicLedgerController {

    static final String GROUP = "ledger";
    private static final int MAX_LIMIT = 100;
    /** Members who may read the ledger through the authorised endpoint; only Readers.FULL_LEDGER see all content. */
    private static final java.util.Set<String> MEMBERS = java.util.Set.of("owner", "admin", "finance", "content", "viewer", "auditor");
    /** Entries whose amount the public sees, in full or in totals (public_after compares as text: one fixed format). */
    /** An entry whose content (its type included: ledger-hash-v1 §5) the public may see; one parameter, now. */
    private static final String CONTENT_IS_PUBLIC = """
            (visibility = 'public_full' OR (visibility = 'delayed_public' AND metadata ->> 'public_after' <= ?))""";
    /** An entry whose amount counts in public totals: its content is public, or it is public_aggregated. */
    private static final String AMOUNT_IS_PUBLIC = "(visibility = 'public_aggregated' OR " + CONTENT_IS_PUBLIC + ")";

    private final Replica replica;
    private final LedgerRows rows;
    private final Clock clock;
    private final Freshness freshness;
    private final Readers readers;
    private final ChainReads chainReads;
    private final Owners owners;
    private final EntryNotes notes;
    private final long typeWindow;

    PublicLedgerController(Replica replica, LedgerRows rows, Clock clock, Freshness freshness, Readers readers,
                           ChainReads chainReads, Owners owners, EntryNotes notes,
                           @Value("${amply.ledger.type-filter-window:10000}") long typeWindow) {
        this.notes = notes;
        this.owners = owners;
        if (typeWindow < 1) {
            throw new IllegalArgumentException("amply.ledger.type-filter-window must be at least 1");
        }
        this.typeWindow = typeWindow;
        this.chainReads = chainReads;
        this.replica = replica;
        this.rows = rows;
        this.clock = clock;
        this.freshness = freshness;
        this.readers = readers;
    }

    @GetMapping("/v1/public/organisations/{organisationId}/ledger")
    @ApiData(value = LedgerAnswers.Entry.class, list = true)
    ApiEnvelope<List<Object>> page(@PathVariable String organisationId,
                                   @RequestParam(defaultValue = "50") int limit,
                                   @RequestParam(required = false) String cursor,
                                   @RequestParam(name = "start_date", required = false) String startDate,
                                   @RequestParam(name = "end_date", required = false) String endDate,
                                   @RequestParam(required = false) String type,
                                   @RequestParam(name = "min_position", required = false) Long minPosition,
                                   HttpServletRequest http) {
        return entries(organisationId, limit, cursor, startDate, endDate, type, minPosition, false, http);
    }

    /** The whole ledger of the organisation for its members: full content for finance roles and auditors. */
    @GetMapping("/v1/organisations/{organisationId}/ledger")
    @ApiData(value = LedgerAnswers.Entry.class, list = true)
    ApiEnvelope<List<Object>> full(@PathVariable String organisationId,
                                   @RequestParam(defaultValue = "50") int limit,
                                   @RequestParam(required = false) String cursor,
                                   @RequestParam(name = "start_date", required = false) String startDate,
                                   @RequestParam(name = "end_date", required = false) String endDate,
                                   @RequestParam(required = false) String type,
                                   @RequestParam(name = "min_position", required = false) Long minPosition,
                                   HttpServletRequest http) {
        String role = readers.role(http, organisationId, MEMBERS);
        boolean content = "platform_admin".equals(role) || Readers.FULL_LEDGER.contains(role);
        return entries(organisationId, limit, cursor, startDate, endDate, type, minPosition, content, http)
                .withMeta("content", content ? "full" : "public");
    }

    private ApiEnvelope<List<Object>> entries(String organisationId, int limit, String cursor, String startDate, String endDate,
                                              String type, Long minPosition, boolean fullContent, HttpServletRequest http) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.invalid("limit", "limit must be between 1 and " + MAX_LIMIT);
        }
        Filter filter = Filter.of(startDate, endDate, type);
        long after = cursor == null ? 0 : Cursors.decodeSequence(cursor);
        owners.requireOrganisation(organisationId);
        Map<String, Object> fresh = freshness.require(GROUP, organisationId, minPosition);
        String now = LedgerTime.format(clock.instant());
        // a page of the public's type filter looks at one stretch of the chain (see windowEnd)
        boolean windowed = filter.type() != null && !fullContent;
        record Read(List<LedgerEntry> entries, List<ObjectNode> shown, long windowEnd, boolean beyondWindow) {
        }
        Read read = replica.transactions().execute(status -> {
            replica.jdbc().query(TenantContext.SET_ORGANISATION, rs -> null, organisationId);
            long windowEnd = windowed ? windowEnd(after) : Long.MAX_VALUE;
            StringBuilder sql = new StringBuilder(LedgerRows.SELECT).append(" WHERE organisation_id = ? AND sequence > ?");
            List<Object> args = new ArrayList<>(List.of(organisationId, after));
            filter.appendTo(sql, args);
            if (windowed) {
                // filtering withheld entries by type would tell which of them are, say, expenses
                sql.append(" AND ").append(CONTENT_IS_PUBLIC).append(" AND sequence <= ?");
                args.add(now);
                args.add(windowEnd);
            }
            sql.append(" ORDER BY sequence LIMIT ?");
            args.add(limit + 1);
            List<LedgerEntry> found = replica.jdbc().query(sql.toString(), rows, args.toArray());
            boolean beyond = windowed && found.size() <= limit && laterInRange(organisationId, windowEnd, filter);
            List<ObjectNode> shown = notes.add(organisationId, (found.size() > limit ? found.subList(0, limit) : found).stream()
                    .map(e -> fullContent ? e.toJson(true) : PublicView.of(e, now)).toList());
            return new Read(found, shown, windowEnd, beyond);
        });
        List<LedgerEntry> entries = read.entries();
        boolean hasMore = entries.size() > limit || read.beyondWindow();
        List<LedgerEntry> page = entries.size() > limit ? entries.subList(0, limit) : entries;
        List<Object> data = List.copyOf(read.shown());
        // past a window the public's type filter did not fill, the next page begins after the window:
        // a bound of sequences, not a withheld entry of the type, whose sequence would tell its type
        String next = entries.size() > limit ? Cursors.encodeSequence(page.get(page.size() - 1).sequence())
                : hasMore ? Cursors.encodeSequence(read.windowEnd()) : null;
        return ApiEnvelope.list(data, hasMore, next, RequestIds.current(http))
                .withMeta("served_from", "replica").withMeta("freshness", fresh);
    }

    /**
     * Whether the chain has an entry after {@code sequence} within the filter's dates, of any type (an
     * entry's time is public): past {@code end_date} the pages end. (A {@code start_date} does not move a
     * window's start: entries' times are not in sequence order exactly, and finding the first sequence
     * within the dates would read every entry before it, the cost the window bounds.)
     */
    private boolean laterInRange(String organisationId, long sequence, Filter filter) {
        StringBuilder sql = new StringBuilder("SELECT EXISTS (SELECT 1 FROM ledger_entries WHERE organisation_id = ? AND sequence > ?");
        List<Object> args = new ArrayList<>(List.of(organisationId, sequence));
        new Filter(filter.start(), filter.end(), null).appendTo(sql, args);
        return Boolean.TRUE.equals(replica.jdbc().queryForObject(sql.append(")").toString(), Boolean.class, args.toArray()));
    }

    /**
     * The last sequence a page of the public's type filter looks at, after {@code after}. The public
     * filters only entries whose content is public, so without a bound a chain whose entries of the
     * type are all withheld was read whole for one page (the index finds the type; whether each entry
     * is public is in its row). Each page now reads at most {@code amply.ledger.type-filter-window}
     * sequences of the chain, and one it could not fill says {@code has_more} with a cursor at its end.
     */
    private long windowEnd(long after) {
        return after > Long.MAX_VALUE - typeWindow ? Long.MAX_VALUE - 1 : after + typeWindow;
    }

    /**
     * Per entry type, month (UTC) and currency: the sum and number of entries whose amount is public,
     * which includes public_aggregated entries (their amounts count here, never one by one) and
     * delayed_public entries once revealed; internal_only amounts are not in any public total.
     */
    @GetMapping("/v1/public/organisations/{organisationId}/ledger/aggregates")
    @ApiData(value = LedgerAnswers.Aggregate.class, list = true)
    ApiEnvelope<List<Map<String, Object>>> aggregates(@PathVariable String organisationId,
                                                      @RequestParam(name = "start_date", required = false) String startDate,
                                                      @RequestParam(name = "end_date", required = false) String endDate,
                                                      @RequestParam(required = false) String type,
                                                      @RequestParam(name = "min_position", required = false) Long minPosition,
                                                      HttpServletRequest http) {
        // whole months only: a total over a day or two would give single public_aggregated amounts away
        Filter filter = Filter.of(startDate, endDate, type).wholeMonths();
        owners.requireOrganisation(organisationId);
        Map<String, Object> fresh = freshness.require(GROUP, organisationId, minPosition);
        StringBuilder sql = new StringBuilder("""
                SELECT type, to_char(date_trunc('month', created_at AT TIME ZONE 'UTC'), 'YYYY-MM') AS month, currency,
                       sum(amount) AS amount, count(*) AS entries
                  FROM ledger_entries WHERE organisation_id = ? AND """).append(AMOUNT_IS_PUBLIC);
        List<Object> args = new ArrayList<>(List.of(organisationId, LedgerTime.format(clock.instant())));
        filter.appendTo(sql, args);
        sql.append(" GROUP BY 1, 2, 3 ORDER BY 2, 1, 3");
        // a whole chain's months at most: within the cap on such reads
        List<Map<String, Object>> totals = chainReads.run(http, () -> replica.transactions().execute(status -> {
            replica.withoutStatementTimeout();
            replica.jdbc().query(TenantContext.SET_ORGANISATION, rs -> null, organisationId);
            return replica.jdbc().query(sql.toString(), (rs, n) -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("month", rs.getString("month"));
                row.put("type", rs.getString("type"));
                row.put("currency", rs.getString("currency"));
                row.put("amount", ExactSums.of(rs, "amount"));
                row.put("entries", rs.getLong("entries"));
                return row;
            }, args.toArray());
        }));
        return ApiEnvelope.list(totals, false, null, RequestIds.current(http))
                .withMeta("served_from", "replica").withMeta("freshness", fresh);
    }

    /**
     * A donor's receipt: the donation's ledger entry (as the public may see it), the hashes of the
     * entries before and after it, and the first signed checkpoint at or after it, so the donor
     * can check that the entry is in the chain the organisation signed.
     */
    @GetMapping("/v1/public/donations/{donationId}")
    @ApiData(LedgerAnswers.Receipt.class)
    ApiEnvelope<Map<String, Object>> receipt(@PathVariable String donationId,
                                             @RequestParam(name = "min_position", required = false) Long minPosition,
                                             HttpServletRequest http) {
        // a donation recorded by the write the client waits for may not be on the replica yet: once the ledger
        // has passed that write, the replica has its owner row too (committed before it)
        String organisationId = owners.of(donationId, GROUP, minPosition)
                .orElseThrow(() -> noReceipt(donationId));
        Map<String, Object> fresh = freshness.require(GROUP, organisationId, minPosition);
        String now = LedgerTime.format(clock.instant());
        Map<String, Object> receipt = replica.transactions().execute(status -> {
            replica.jdbc().query(TenantContext.SET_ORGANISATION, rs -> null, organisationId);
            List<LedgerEntry> found = replica.jdbc().query(LedgerRows.SELECT
                    + " WHERE organisation_id = ? AND type = 'donation_received' AND metadata ->> 'donation_id' = ?", rows, organisationId, donationId);
            if (found.isEmpty()) {
                return null;
            }
            LedgerEntry entry = found.get(0);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("donation_id", donationId);
            out.put("organisation_id", organisationId);
            out.put("entry", PublicView.of(entry, now));
            out.put("related_entries", notes.add(organisationId, replica.jdbc().query(LedgerRows.SELECT
                            + " WHERE organisation_id = ? AND metadata ->> 'donation_id' = ? AND sequence <> ? ORDER BY sequence", rows,
                    organisationId, donationId, entry.sequence()).stream().map(e -> PublicView.of(e, now)).toList()));
            out.put("previous_entry_hash", entry.prevEntryHash());
            List<String> next = replica.jdbc().queryForList(
                    "SELECT entry_hash FROM ledger_entries WHERE organisation_id = ? AND sequence = ?", String.class,
                    organisationId, entry.sequence() + 1);
            out.put("next_entry_hash", next.isEmpty() ? null : next.get(0));
            List<Checkpoint> checkpoint = replica.jdbc().query(Checkpoints.SELECT
                    + " WHERE organisation_id = ? AND sequence >= ? ORDER BY sequence, created_at LIMIT 1", Checkpoints.ROWS,
                    organisationId, entry.sequence());
            out.put("checkpoint", checkpoint.isEmpty() ? null : checkpoint.get(0).toJson());
            out.put("verify", "/v1/public/organisations/" + organisationId + "/ledger/verify");
            return out;
        });
        if (receipt == null) {
            throw noReceipt(donationId);
        }
        return ApiEnvelope.of(receipt, RequestIds.current(http)).withMeta("served_from", "replica").withMeta("freshness", fresh);
    }

    /** One answer for an id Amply never made and one of a donation not received: neither tells the other. */
    private static ApiException noReceipt(String donationId) {
        return new ApiException(ApiErrorCode.NOT_FOUND, "no received donation " + donationId
                + " in the ledger (yet: a pending or failed donation has no entry)", null);
    }

    /** The optional filters of the ledger's lists: a date range (UTC days, both inclusive) and an entry type. */
    private record Filter(LocalDate start, LocalDate end, String type) {

        static Filter of(String startDate, String endDate, String type) {
            LocalDate start = date("start_date", startDate);
            LocalDate end = date("end_date", endDate);
            if (start != null && end != null && end.isBefore(start)) {
                throw ApiException.invalid("end_date", "end_date must not be before start_date");
            }
            // a filter by a type the ledger never writes matches nothing, and its client would follow empty pages
            // across the whole chain: a misspelt one is refused instead
            if (type != null && !LedgerEntryMapper.TYPES.contains(type)) {
                throw ApiException.invalid("type", "type must be one of " + String.join(", ", LedgerEntryMapper.TYPES));
            }
            return new Filter(start, end, type);
        }

        /** The same range widened to the whole months it touches. */
        Filter wholeMonths() {
            return new Filter(start == null ? null : start.withDayOfMonth(1),
                    end == null ? null : end.withDayOfMonth(end.lengthOfMonth()), type);
        }

        void appendTo(StringBuilder sql, List<Object> args) {
            if (start != null) {
                sql.append(" AND created_at >= ?");
                args.add(Timestamp.from(start.atStartOfDay(ZoneOffset.UTC).toInstant()));
            }
            if (end != null) {
                sql.append(" AND created_at < ?");
                args.add(Timestamp.from(end.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()));
            }
            if (type != null) {
                sql.append(" AND type = ?");
                args.add(type);
            }
        }

        private static LocalDate date(String param, String value) {
            if (value == null) {
                return null;
            }
            LocalDate date;
            try {
                date = LocalDate.parse(value);
            } catch (DateTimeParseException e) {
                throw ApiException.invalid(param, param + " must be a date, YYYY-MM-DD");
            }
            // within what the database's timestamps hold (the year -5000 or 300000 was a server error)
            if (date.getYear() < 1970 || date.getYear() > 9999) {
                throw ApiException.invalid(param, param + " must be a date between 1970-01-01 and 9999-12-31");
            }
            return date;
        }
    }
}
