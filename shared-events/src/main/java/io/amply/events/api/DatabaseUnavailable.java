package io.amply.events.api;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A request that failed because the database could not serve it at all, rather than because of
 * anything in it: no connection within the pool's connection timeout (unreachable, restarting, out
 * of connections, or every connection of the node busy), a connection lost, the server shutting
 * down or still recovering, out of disk or memory, or a primary that has become read-only (a
 * failover the node has not followed yet). Both services answer it 503 with {@code Retry-After}
 * instead of a generic 500 (docs/api.md), and say whether the request may have been recorded.
 */
public final class DatabaseUnavailable {

    /** Seconds a client is asked to wait before it tries again. */
    public static final String RETRY_AFTER_SECONDS = "5";

    /** SQLSTATE classes: connection exception, insufficient resources (disk full, out of memory, too many connections). */
    private static final Set<String> CLASSES = Set.of("08", "53");
    /** admin_shutdown, crash_shutdown, cannot_connect_now, read_only_sql_transaction. */
    private static final Set<String> STATES = Set.of("57P01", "57P02", "57P03", "25006");
    /**
     * Refusals before anything could be written: no connection made (sqlclient_unable_to_establish_sqlconnection,
     * sqlserver_rejected_establishment_of_sqlconnection, cannot_connect_now), a statement refused (read-only).
     */
    private static final Set<String> BEFORE_ANY_WRITE = Set.of("08001", "08004", "57P03", "25006");

    private DatabaseUnavailable() {
    }

    public static boolean is(Throwable failure) {
        return causes(failure).anyMatch(cause -> cause instanceof SQLTransientConnectionException
                || CLASSES.contains(sqlClass(cause)) || STATES.contains(sqlState(cause)));
    }

    /**
     * The answer to such a failure. {@code mayHaveWritten}: something of the request committed before it
     * failed, or a connection dropped while the request was writing (its commit's outcome unknown).
     */
    public static ApiError error(Throwable failure, String requestId, boolean write, boolean mayHaveWritten) {
        String quote = "; quote " + requestId + " to support";
        if (write && (mayHaveWritten || !nothingWritten(failure))) {
            return ApiError.of(ApiErrorCode.SERVER_ERROR, "the database became unavailable while this request was being "
                    + "handled, and whether it was recorded is not known: send it again with the same Idempotency-Key (it is "
                    + "then recorded once), or check before sending it again without one" + quote, null);
        }
        String nothing = write ? "; nothing of it was written" : "";
        if (busy(failure)) {
            return ApiError.of(ApiErrorCode.SERVER_ERROR, "too busy to take this request now (no database connection came "
                    + "free in time)" + nothing + ": send it again in a few seconds" + quote, null);
        }
        return ApiError.of(ApiErrorCode.SERVER_ERROR, "the database is unavailable at the moment" + nothing
                + ": send the request again in a few seconds" + quote, null);
    }

    /** Nothing can have been written: no connection was had, or the server refused before any write. */
    static boolean nothingWritten(Throwable failure) {
        return causes(failure).anyMatch(cause -> cause instanceof SQLTransientConnectionException
                || BEFORE_ANY_WRITE.contains(sqlState(cause)) || "53".equals(sqlClass(cause)));
    }

    /** No connection came free in the pool's time while the database answers (Hikari says why not when it does not). */
    static boolean busy(Throwable failure) {
        return causes(failure).anyMatch(cause -> cause instanceof SQLTransientConnectionException pool
                && pool.getSQLState() == null && pool.getCause() == null);
    }

    /** The failure and its causes, outermost first. */
    public static Stream<Throwable> causes(Throwable failure) {
        return Stream.iterate(failure, Objects::nonNull, cause -> cause.getCause() == cause ? null : cause.getCause());
    }

    private static String sqlState(Throwable cause) {
        return cause instanceof SQLException sql && sql.getSQLState() != null ? sql.getSQLState() : "";
    }

    private static String sqlClass(Throwable cause) {
        String state = sqlState(cause);
        return state.length() == 5 ? state.substring(0, 2) : "";
    }
}
