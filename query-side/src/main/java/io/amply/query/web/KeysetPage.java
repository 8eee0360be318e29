package io.amply.query.web;

import java.sql.Timestamp;
import java.util.List;
import java.util.function.Function;

/**
 * One page of a list ordered by {@code (created_at, <id>)}: the rows shown and the cursor the next
 * page starts after. The query asks for one row more than the limit, so whether there is a next
 * page is known without counting.
 *
 * @param rows       the rows of this page, at most the limit
 * @param hasMore    whether a next page exists
 * @param nextCursor the cursor of the next page, or null
 */
public record KeysetPage<T>(List<T> rows, boolean hasMore, String nextCursor) {

    /** The most rows a page may have; a larger {@code limit} is refused. */
    public static final int MAX_LIMIT = 100;

    /** Refuses a limit outside 1..{@value #MAX_LIMIT} with the API's validation error. */
    public static int checkedLimit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.invalid("limit", "limit must be between 1 and " + MAX_LIMIT);
        }
        return limit;
    }

    /**
     * Appends the position after {@code after} (none for the first page), the order and the limit
     * (one more than asked) to a query whose WHERE clause {@code sql} already has.
     */
    public static void appendTo(StringBuilder sql, List<Object> parameters, Cursors.Key after, String idColumn, int limit) {
        if (after != null) {
            sql.append(" AND (created_at, ").append(idColumn).append(") > (?, ?)");
            parameters.add(Timestamp.from(after.at()));
            parameters.add(after.id());
        }
        sql.append(" ORDER BY created_at, ").append(idColumn).append(" LIMIT ?");
        parameters.add(limit + 1);
    }

    /** The page of {@code fetched} (what the query appended by {@link #appendTo} returned). */
    public static <T> KeysetPage<T> of(List<T> fetched, int limit, Function<T, Cursors.Key> keyOf) {
        boolean hasMore = fetched.size() > limit;
        List<T> shown = hasMore ? fetched.subList(0, limit) : fetched;
        Cursors.Key last = hasMore ? keyOf.apply(shown.get(shown.size() - 1)) : null;
        return new KeysetPage<>(shown, hasMore, last == null ? null : Cursors.encodeKey(last.at(), last.id()));
    }
}
