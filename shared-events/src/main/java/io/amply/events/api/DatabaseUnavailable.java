package io.amply.events.api;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A request that failed because the database could not serve it at all, rather than because of
 * anything in it: no connection within the pool's connection timeout (unreachable, restarting, out
 * of connections), a connection lost, the server shutting down or still recovering, out of disk or
 * memory, or a primary that has become read-only (a failover the node has not followed yet). Both
 * services answer it 503 with {@code Retry-After} instead of a generic 500 (docs/api.md): the client
 * should send the same request again shortly, with the same {@code Idempotency-Key} for a write,
 * which answers it once whether or not the first attempt was recorded.
 */
public final class DatabaseUnavailable {

    /** Seconds a client is asked to wait before it tries again. */
    public static final String RETRY_AFTER_SECONDS = "5";

    /** SQLSTATE classes: connection exception, insufficient resources (disk full, out of memory, too many connections). */
    private static final Set<String> CLASSES = Set.of("08", "53");
    /** admin_shutdown, crash_shutdown, cannot_connect_now, read_only_sql_transaction. */
    private static final Set<String> STATES = Set.of("57P01", "57P02", "57P03", "25006");

    private DatabaseUnavailable() {
    }

    public static boolean is(Throwable failure) {
        return causes(failure).anyMatch(cause -> cause instanceof SQLTransientConnectionException
                || cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().length() == 5
                && (CLASSES.contains(sql.getSQLState().substring(0, 2)) || STATES.contains(sql.getSQLState())));
    }

    public static ApiError error(String requestId) {
        return ApiError.of(ApiErrorCode.SERVER_ERROR, "the database is unavailable at the moment; send the request again in a "
                + "few seconds (a write with the same Idempotency-Key, which records it once whether or not this attempt "
                + "was); quote " + requestId + " to support", null);
    }

    private static Stream<Throwable> causes(Throwable failure) {
        return Stream.iterate(failure, Objects::nonNull, cause -> cause.getCause() == cause ? null : cause.getCause());
    }
}
