package io.amply.query;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.Objects;

/**
 * Nothing leaves for Kafka or the export targets before the replica has it. Replication is
 * asynchronous: an entry committed on the primary and published at once could be lost by a failover
 * to the replica, and the promoted database would then give its sequence to another entry, leaving
 * consumers and signed checkpoints with two versions of one entry. So a publisher, holding what it
 * read from the primary, waits until the replica has replayed the primary's WAL up to where it was
 * after the read ({@code amply.publishing.await-replica}, on by default). Replayed rather than
 * received: a consumer that looks a published ledger entry or checkpoint up in the public API, which
 * reads the replica, then finds it.
 * <p>
 * A replica datasource that names this very primary (a deployment without a replica) has nothing to
 * wait for. One that names another database that is not in recovery (a replica promoted while this
 * node still writes to the old primary) fails closed: what the old primary commits would be lost.
 * <p>
 * The replica is looked at through a pool of its own ({@link ReplicaConfiguration}) whose connections
 * time out on the socket: a look that hangs (a replica cut off by the network, where a query timeout's
 * cancel request cannot reach it either) must not hold the publisher's transaction and thread.
 */
public class ReplicaCatchUp {

    /**
     * A server's identity: when it started, to the microsecond, as a number (the same whatever the session's
     * time zone or date style, and whether it was reached by TCP or a socket).
     */
    private static final String IDENTITY = "extract(epoch FROM pg_postmaster_start_time())::text";
    /** Where the replica is, and who it is: a standby's replay position, or a primary's identity. */
    private static final String REPLICA = "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn() >= ?::pg_lsn, " + IDENTITY;

    private record Seen(boolean inRecovery, boolean replayed, String identity) {
    }

    private final JdbcTemplate primary;
    private final JdbcTemplate replica;
    private final boolean enabled;
    private final Duration wait;

    /**
     * @param primary the primary, in the caller's transaction
     * @param replica the replica, for the look at its replay position (null when {@code enabled} is false)
     */
    public ReplicaCatchUp(JdbcTemplate primary, JdbcTemplate replica, boolean enabled, Duration wait) {
        this.primary = primary;
        this.replica = replica;
        this.enabled = enabled;
        this.wait = wait;
    }

    /**
     * Returns once the replica has replayed everything committed on the primary before this call (so
     * everything the caller read there); throws {@link ReplicaBehind} if it has not within
     * {@code amply.publishing.replica-wait}, or does not answer. The publishers then fail their round, as
     * when Kafka is down, and try again from where they were.
     */
    public void awaitCommitted() {
        if (!enabled) {
            return;
        }
        // the insert position, not the write position: with synchronous_commit off a commit is visible before
        // its WAL is written
        String position = primary.queryForObject("SELECT pg_current_wal_insert_lsn()::text", String.class);
        long deadline = System.nanoTime() + wait.toNanos();
        long pauseMillis = 1;
        while (!replayed(position)) {
            if (System.nanoTime() - deadline > 0) {
                throw new ReplicaBehind("the replica has not replayed the primary's WAL up to " + position + " within "
                        + wait + ": nothing is published before it has", null);
            }
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // stopping: the caller's round ends, and is not a failure
                throw new IllegalStateException("interrupted while waiting for the replica to replay up to " + position, e);
            }
            pauseMillis = Math.min(pauseMillis * 2, 50);
        }
    }

    private boolean replayed(String position) {
        Seen found;
        try {
            found = replica.queryForObject(REPLICA, (rs, n) -> new Seen(rs.getBoolean(1), rs.getBoolean(2), rs.getString(3)),
                    position);
        } catch (DataAccessException e) {
            throw new ReplicaBehind("the replica does not answer: nothing is published before it has replayed it", e);
        }
        if (Objects.requireNonNull(found).inRecovery()) {
            return found.replayed();
        }
        String primaryIdentity = primary.queryForObject("SELECT " + IDENTITY, String.class);
        if (found.identity().equals(primaryIdentity)) {
            return true; // no replica: the replica datasource is the primary itself
        }
        throw new ReplicaBehind("the replica datasource names a database that is not in recovery and is not this "
                + "node's primary (a replica promoted while this node writes to the old primary?): nothing is published "
                + "until they agree", null);
    }

    /** The replica is behind the primary, does not answer, or is not the primary's standby: a publisher's round waits. */
    public static final class ReplicaBehind extends IllegalStateException {
        public ReplicaBehind(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
