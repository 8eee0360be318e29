package io.amply.query.transaction;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.amply.db.TenantContext;
import io.amply.events.api.ApiData;
import io.amply.events.api.ApiEnvelope;
import io.amply.events.api.ApiErrorCode;
import io.amply.query.Replica;
import io.amply.query.readmodel.Freshness;
import io.amply.query.security.Owners;
import io.amply.query.security.Readers;
import io.amply.query.web.ApiException;
import io.amply.query.web.ChainReads;
import io.amply.query.web.Cursors;
import io.amply.query.web.FileNames;
import io.amply.query.web.KeysetPage;
import io.amply.query.web.RequestIds;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An organisation's transactions, all of them or one fund's, for its members: JSON pages (keyset
 * on created_at, id; never OFFSET) or the whole filtered list as a CSV download, read from the
 * replica under the organisation's row-level security.
 */
@RestController
class TransactionsController {

    /**
     * Who reads an organisation's transactions: every amount, whatever its visibility, so not
     * {@code content} or {@code viewer}, who read amounts only where the public does (as a donation's).
     */
    static final Set<String> ROLES = Readers.FULL_LEDGER;

    private static final Set<String> DIRECTIONS = new TreeSet<>(Set.of("incoming", "outgoing"));
    private static final Set<String> TYPES = new TreeSet<>(Set.of("donation", "matched_donation", "fee", "refund", "refund_reversed", "expense",
            "transfer_in", "transfer_out", "correction"));
    private static final Set<String> STATUSES = new TreeSet<>(Set.of("pending", "completed", "failed", "partially_refunded",
            "refunded"));
    private static final int CSV_FETCH_SIZE = 1_000;
    /** With the text of the note a row names (V38), read in the row's organisation: null when erased or none. */
    private static final String COLUMNS = """
            SELECT id, organisation_id, fund_id, direction, type, amount, currency, status, allocation::text AS allocation,
                   created_at, (SELECT n.text FROM ledger_notes n WHERE n.organisation_id = transactions.organisation_id
                                   AND n.id = transactions.allocation ->> 'note_id') AS note
              FROM transactions""";
    private static final String CSV_HEADER = "id,created_at,direction,type,status,amount,currency,fund_id,allocation,note\r\n";

    private final Replica replica;
    private final Readers readers;
    private final Freshness freshness;
    private final ObjectMapper json;
    private final ChainReads chainReads;
    private final Owners owners;

    TransactionsController(Replica replica, Readers readers, Freshness freshness, ObjectMapper json, ChainReads chainReads,
                           Owners owners) {
        this.chainReads = chainReads;
        this.owners = owners;
        this.replica = replica;
        this.readers = readers;
        this.freshness = freshness;
        this.json = json;
    }

    @GetMapping("/v1/organisations/{organisationId}/transactions")
    @ApiData(value = TransactionAnswers.Transaction.class, list = true)
    ApiEnvelope<List<Map<String, Object>>> organisation(
            @PathVariable String organisationId,
            @RequestParam(required = false) String direction,
            @RequestParam(required = false) String type,
            @RequestParam(required = false) String status,
            @RequestParam(defaultValue = "50") int limit,
            @RequestParam(required = false) String cursor,
            @RequestParam(required = false) String format,
            @RequestParam(name = "min_position", required = false) Long minPosition,
            HttpServletRequest http, HttpServletResponse response) throws IOException {
        readers.require(http, organisationId, ROLES);
        owners.requireOrganisation(organisationId);
        return read(organisationId, null, direction, type, status, limit, cursor, format, minPosition, http, response);
    }

    @GetMapping("/v1/funds/{fundId}/transactions")
    @ApiData(value = TransactionAnswers.Transaction.class, list = true)
    ApiEnvelope<List<Map<String, Object>>> fund(
            @PathVariable String fundId,
            @RequestParam(required = false) String direction,
            @RequestParam(required = false) String type,
            @RequestParam(required = false) String status,
            @RequestParam(defaultValue = "50") int limit,
            @RequestParam(required = false) String cursor,
            @RequestParam(required = false) String format,
            @RequestParam(name = "min_position", required = false) Long minPosition,
            HttpServletRequest http, HttpServletResponse response) throws IOException {
        readers.authenticate(http);
        String organisationId = owners.ofFund(fundId, TransactionsProjection.GROUP, minPosition);
        readers.require(http, organisationId, ROLES);
        return read(organisationId, fundId, direction, type, status, limit, cursor, format, minPosition, http, response);
    }

    /**
     * A JSON page, or for CSV null after the rows were written to {@code response} (a handler with
     * the response as an argument that returns null has handled the request itself). The CSV is
     * written on this thread, so one read-only transaction spans it and no async timeout cuts it.
     */
    private ApiEnvelope<List<Map<String, Object>>> read(String organisationId, String fundId, String direction, String type,
                                                        String status, int limit, String cursor, String format,
                                                        Long minPosition, HttpServletRequest http,
                                                        HttpServletResponse response) throws IOException {
        List<Object> args = new ArrayList<>();
        StringBuilder where = new StringBuilder(" WHERE organisation_id = ?");
        args.add(organisationId);
        if (fundId != null) {
            where.append(" AND fund_id = ?");
            args.add(fundId);
        }
        filter(where, args, "direction", direction, DIRECTIONS);
        filter(where, args, "type", type, TYPES);
        filter(where, args, "status", status, STATUSES);
        if (status != null && !status.equals("completed")) {
            // as a literal, so that PostgreSQL may read the index of the rows not completed (V34) with a generic
            // plan too, which cannot tell from "status = ?" alone that the value is not 'completed'
            where.append(" AND status <> 'completed'");
        }
        boolean csv = wantsCsv(format, http);
        if (!csv) {
            KeysetPage.checkedLimit(limit);
        } else {
            // a download holds every matching row: a page's limit or cursor sent with it would be ignored, and a client
            // paging through CSV would import every row again with each page
            for (String paging : List.of("limit", "cursor")) {
                if (http.getParameter(paging) != null) {
                    throw ApiException.invalid(paging, "a CSV download holds every matching row, so it takes no " + paging
                            + "; leave it out, or ask for JSON pages");
                }
            }
        }
        Cursors.Key after = csv ? null : Cursors.decodeKey(cursor);
        // before the rows are read, so the position reported is never ahead of what they include
        Map<String, Object> fresh = freshness.require(TransactionsProjection.GROUP, organisationId, minPosition);
        if (csv) {
            // the organisation's whole list, as long as it takes: within the cap on such reads, as an export is
            Runnable release = chainReads.acquire(http);
            try {
                writeCsv(organisationId, COLUMNS + where + " ORDER BY created_at, id", args, response);
            } finally {
                release.run();
            }
            return null;
        }
        KeysetPage.appendTo(where, args, after, "id", limit);
        String sql = COLUMNS + where;
        List<Map<String, Object>> rows = replica.transactions().execute(tx -> {
            replica.jdbc().query(TenantContext.SET_ORGANISATION, rs -> null, organisationId);
            return replica.jdbc().query(sql, (rs, n) -> row(rs), args.toArray());
        });
        KeysetPage<Map<String, Object>> page = KeysetPage.of(rows, limit,
                row -> new Cursors.Key(Instant.parse((String) row.get("created_at")), (String) row.get("id")));
        return ApiEnvelope.list(page.rows(), page.hasMore(), page.nextCursor(), RequestIds.current(http))
                .withMeta("served_from", "replica")
                .withMeta("freshness", fresh);
    }

    private static void filter(StringBuilder where, List<Object> args, String param, String value, Set<String> allowed) {
        if (value == null) {
            return;
        }
        if (!allowed.contains(value)) {
            throw ApiException.invalid(param, param + " must be one of " + String.join(", ", allowed));
        }
        where.append(" AND ").append(param).append(" = ?");
        args.add(value);
    }

    /** {@code format=csv|json} decides; without it, an Accept header that names text/csv asks for CSV. */
    private static boolean wantsCsv(String format, HttpServletRequest http) {
        if (format != null) {
            if (!format.equals("csv") && !format.equals("json")) {
                throw ApiException.invalid("format", "format must be json or csv");
            }
            return format.equals("csv");
        }
        List<String> accept = Collections.list(http.getHeaders("Accept"));
        if (accept.isEmpty()) {
            return false;
        }
        try {
            return MediaType.parseMediaTypes(accept).stream()
                    .anyMatch(m -> "text".equals(m.getType()) && "csv".equals(m.getSubtype()));
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }

    private Map<String, Object> row(ResultSet rs) throws SQLException {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", rs.getString("id"));
        row.put("organisation_id", rs.getString("organisation_id"));
        row.put("fund_id", rs.getString("fund_id"));
        row.put("direction", rs.getString("direction"));
        row.put("type", rs.getString("type"));
        row.put("amount", rs.getLong("amount"));
        row.put("currency", rs.getString("currency"));
        row.put("status", rs.getString("status"));
        try {
            row.put("allocation", json.readTree(rs.getString("allocation")));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("allocation of " + rs.getString("id") + " is not JSON", e);
        }
        row.put("created_at", createdAt(rs).toString());
        if (row.get("allocation") instanceof JsonNode allocation && allocation.has("note_id")) {
            row.put("note", rs.getString("note"));
        }
        return row;
    }

    private static Instant createdAt(ResultSet rs) throws SQLException {
        return rs.getObject("created_at", OffsetDateTime.class).toInstant();
    }

    /** Every matching row in keyset order, streamed from one query with a fetch size (a server-side cursor). */
    private void writeCsv(String organisationId, String sql, List<Object> args, HttpServletResponse response) throws IOException {
        response.setStatus(200);
        response.setContentType("text/csv");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"transactions-" + FileNames.safe(organisationId) + ".csv\"");
        response.setHeader("Cache-Control", "no-store");
        Writer out = new BufferedWriter(new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8), 1 << 16);
        out.write(CSV_HEADER);
        JdbcTemplate streaming = new JdbcTemplate(replica.jdbc().getDataSource());
        streaming.setFetchSize(CSV_FETCH_SIZE);
        replica.transactions().executeWithoutResult(tx -> {
            replica.withoutStatementTimeout(); // every transaction of the organisation, as long as it takes
            streaming.query(TenantContext.SET_ORGANISATION, rs -> null, organisationId);
            streaming.query(sql, (RowCallbackHandler) rs -> {
                try {
                    out.write(csvLine(rs));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, args.toArray());
        });
        out.flush();
    }

    private static String csvLine(ResultSet rs) throws SQLException {
        return String.join(",", csv(rs.getString("id")), csv(createdAt(rs).toString()), csv(rs.getString("direction")),
                csv(rs.getString("type")), csv(rs.getString("status")), Long.toString(rs.getLong("amount")),
                csv(rs.getString("currency")), csv(rs.getString("fund_id")), csv(rs.getString("allocation")),
                csv(inert(rs.getString("note")))) + "\r\n";
    }

    /**
     * The organisation's free text, made inert for spreadsheets (OWASP's CSV injection advice): a cell
     * that starts as a formula does ({@code = + - @}, a tab or a carriage return) is read as text, with
     * a leading {@code '}.
     */
    static String inert(String text) {
        if (text == null || text.isEmpty() || "=+-@\t\r".indexOf(text.charAt(0)) < 0) {
            return text;
        }
        return "'" + text;
    }

    /** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled; null is empty. */
    static String csv(String value) {
        if (value == null) {
            return "";
        }
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    /** The organisation id comes from the path; only id characters go into the header. */}
