package io.amply.command.web;

import io.amply.events.api.ApiEnvelope;
import org.springframework.jdbc.core.RowMapper;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSetMetaData;
import java.sql.Timestamp;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The command side's lists (ARCHITECTURE.md §7): {@code ?limit=} 1–100 (50 if not given) and an opaque
 * {@code cursor} naming the last id of the page before, so a page costs the same at any depth and a row
 * added meanwhile shifts nothing.
 */
public final class IdPages {

    private static final String AFTER = "after:";

    /**
     * A list's row as its columns name themselves ({@code SELECT m.user_id, u.name …} gives {@code user_id},
     * {@code name}), a time as an ISO-8601 instant: the lists' queries name their columns as the API does.
     */
    public static final RowMapper<Map<String, Object>> ROW = (rs, n) -> {
        ResultSetMetaData columns = rs.getMetaData();
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= columns.getColumnCount(); i++) {
            Object value = rs.getObject(i);
            row.put(columns.getColumnLabel(i), value instanceof Timestamp at ? at.toInstant().toString() : value);
        }
        return row;
    };

    /** A page of at most {@code limit} rows whose ids are greater than {@code after} ("" for the first). */
    public record Page(int limit, String after) {
    }

    private IdPages() {
    }

    /** The page a request asks for, its cursor naming an id of {@code prefix}'s kind. */
    public static Page of(Integer limit, String cursor, String prefix) {
        int size = limit == null ? 50 : limit;
        if (size < 1 || size > 100) {
            throw ApiException.invalid("limit", "limit must be between 1 and 100");
        }
        if (cursor == null) {
            return new Page(size, "");
        }
        String after;
        try {
            after = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            after = "";
        }
        if (!after.startsWith(AFTER) || !Ids.looksLike(prefix, after.substring(AFTER.length()))) {
            throw ApiException.invalid("cursor", "cursor is not one this API returned");
        }
        return new Page(size, after.substring(AFTER.length()));
    }

    /** The answer for {@code rows} read with {@code LIMIT page.limit() + 1}: the extra row only says there are more. */
    public static <T> ApiEnvelope<List<T>> envelope(List<T> rows, Page page, Function<T, String> id, String requestId) {
        boolean more = rows.size() > page.limit();
        List<T> shown = more ? rows.subList(0, page.limit()) : rows;
        String next = more ? Base64.getUrlEncoder().withoutPadding()
                .encodeToString((AFTER + id.apply(shown.get(shown.size() - 1))).getBytes(StandardCharsets.US_ASCII)) : null;
        return ApiEnvelope.list(shown, more, next, requestId);
    }
}
