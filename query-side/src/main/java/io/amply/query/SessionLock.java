package io.amply.query;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A PostgreSQL advisory lock that lets one node at a time do some work. The lock is a session's,
 * on a connection of its own outside any transaction: a transaction held open for the work would sit
 * idle while the work commits on its own, and PostgreSQL ends a session idle in a transaction after
 * a minute (the bootstrap step, Migrations.bootstrap), losing the lock half-way. A node that dies ends its session, and the
 * lock with it.
 */
public final class SessionLock {

    private static final Logger log = LoggerFactory.getLogger(SessionLock.class);

    private SessionLock() {
    }

    /**
     * Runs {@code work} holding lock {@code key}, waiting for it or, if {@code wait} is false and another
     * session holds it, not at all. Returns whether the work ran.
     */
    public static boolean holding(JdbcTemplate jdbc, long key, boolean wait, Runnable work) {
        return Boolean.TRUE.equals(jdbc.execute((ConnectionCallback<Boolean>) connection -> {
            if (!lock(connection, key, wait)) {
                return false;
            }
            try {
                work.run();
            } finally {
                unlock(connection, key);
            }
            return true;
        }));
    }

    /** Takes lock {@code key} for {@code connection}'s session if no other session holds it. */
    public static boolean tryLock(Connection connection, long key) throws SQLException {
        return lock(connection, key, false);
    }

    private static boolean lock(Connection connection, long key, boolean wait) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(
                wait ? "SELECT pg_advisory_lock(?), true" : "SELECT pg_try_advisory_lock(?)")) {
            lock.setLong(1, key);
            try (ResultSet rs = lock.executeQuery()) {
                rs.next();
                return rs.getBoolean(wait ? 2 : 1);
            }
        }
    }

    /** Unlocked, or the connection is not given back to the pool still holding the lock. */
    public static void unlock(Connection connection, long key) throws SQLException {
        try (PreparedStatement unlock = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            unlock.setLong(1, key);
            unlock.executeQuery().close();
        } catch (SQLException e) {
            log.warn("could not release advisory lock {}; closing its session instead", key, e);
            connection.abort(Runnable::run);
        }
    }
}
