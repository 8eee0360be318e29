package io.amply.local;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * What a test that timed out waiting needs printed so that its CI log alone explains it: the
 * database's sessions (who waits for what) and the stacks of the services' threads.
 */
final class Diagnostics {

    private Diagnostics() {
    }

    /** Awaits {@code condition}; if it times out, fails with {@code explanation}'s text (gathered then, not before). */
    static void await(Duration atMost, Callable<Boolean> condition, Supplier<String> explanation) {
        explained(() -> {
            org.awaitility.Awaitility.await().atMost(atMost).until(condition);
            return null;
        }, explanation);
    }

    /** Runs {@code wait} (an Awaitility wait); if it times out, fails with {@code explanation}'s text (gathered then). */
    static <T> T explained(Supplier<T> wait, Supplier<String> explanation) {
        try {
            return wait.get();
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + explanation.get(), e);
        }
    }

    /** A connection to one of the servers, as the superuser. */
    interface Server {
        Connection open() throws SQLException;
    }

    /** {@link #sessions(String, Server)} on the primary. */
    static String sessions(TestStack stack) {
        return sessions("primary", stack::superuser);
    }

    /**
     * Every session of the application database on {@code server} that is not idle (so idle in a
     * transaction too), with what it waits for, who blocks it, and since when its transaction and
     * snapshot are held.
     */
    static String sessions(String name, Server server) {
        StringBuilder out = new StringBuilder("\n--- sessions on the ").append(name).append(" ---\n");
        try (Connection superuser = server.open(); Statement statement = superuser.createStatement();
             ResultSet rs = statement.executeQuery("""
                     SELECT pid, usename, state, wait_event_type, wait_event, pg_blocking_pids(pid) AS blocked_by,
                            now() - xact_start AS in_transaction, backend_xmin,
                            left(regexp_replace(query, '\\s+', ' ', 'g'), 160) AS query
                       FROM pg_stat_activity
                      WHERE datname = current_database() AND pid <> pg_backend_pid() AND state IS DISTINCT FROM 'idle'
                      ORDER BY xact_start NULLS LAST""")) {
            while (rs.next()) {
                out.append("  ").append(rs.getInt("pid")).append(' ').append(rs.getString("usename"))
                        .append(" state=").append(rs.getString("state"))
                        .append(" wait=").append(rs.getString("wait_event_type")).append('/').append(rs.getString("wait_event"))
                        .append(" blocked_by=").append(rs.getString("blocked_by"))
                        .append(" in_tx=").append(rs.getString("in_transaction"))
                        .append(" xmin=").append(rs.getString("backend_xmin"))
                        .append(" query=").append(rs.getString("query")).append('\n');
            }
        } catch (SQLException e) {
            out.append("  unreadable: ").append(e).append('\n');
        }
        return out.toString();
    }

    /** The stacks of this JVM's threads whose names contain any of {@code names} (e.g. Tomcat's {@code exec}). */
    static String threads(String... names) {
        StringBuilder out = new StringBuilder("\n--- threads ").append(Arrays.toString(names)).append(" ---\n");
        for (Map.Entry<Thread, StackTraceElement[]> thread : Thread.getAllStackTraces().entrySet()) {
            String name = thread.getKey().getName();
            if (Arrays.stream(names).noneMatch(name::contains)) {
                continue;
            }
            out.append('"').append(name).append("\" ").append(thread.getKey().getState()).append('\n');
            out.append(Arrays.stream(thread.getValue()).limit(40).map(frame -> "    at " + frame)
                    .collect(Collectors.joining("\n"))).append('\n');
        }
        return out.toString();
    }
}
