package io.amply.query;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Duration;

/**
 * Nothing leaves for Kafka or the export targets before the replica has it. Replication is
 * asynchronous: an entry committed on the primary and published at once could be lost by a failover
 * to the replica, and the promoted database would then give its sequence to another entry, leaving
 * consumers and signed checkpoints with two versions of one entry. So a publisher, holding what it
 * read from the primary, waits until the replica has replayed the primary's WAL up to where it was
 * when the read was done ({@code amply.publishing.await-replica}, on by default). Replayed rather than
 * received: a consumer that looks a published entry up in the public API, which reads the replica,
 * then finds it. A replica datasource that names a primary (no replica, or one promoted) has nothing
 * to wait for.
 */
@Component
public class ReplicaCatchUp {

    private static final String REPLAYED = "SELECT NOT pg_is_in_recovery() OR pg_last_wal_replay_lsn() >= ?::pg_lsn";

    private final JdbcTemplate primary;
    private final Replica replica;
    private final boolean enabled;
    private final Duration wait;

    public ReplicaCatchUp(JdbcTemplate primary, Replica replica,
                   @Value("${amply.publishing.await-replica:true}") boolean enabled,
                   @Value("${amply.publishing.replica-wait:PT5S}") Duration wait) {
        this.primary = primary;
        this.replica = replica;
        this.enabled = enabled;
        this.wait = wait;
    }

    /**
     * Returns once the replica has replayed everything committed on the primary before this call (so
     * everything the caller read there); throws if it has not within {@code amply.publishing.replica-wait}.
     * The publishers then fail their round, as when Kafka is down, and try again from where they were.
     */
    public void awaitCommitted() {
        if (!enabled) {
            return;
        }
        String position = primary.queryForObject("SELECT pg_current_wal_lsn()::text", String.class);
        long deadline = System.nanoTime() + wait.toNanos();
        long pauseMillis = 1;
        while (!Boolean.TRUE.equals(replica.jdbc().queryForObject(REPLAYED, Boolean.class, position))) {
            if (System.nanoTime() - deadline > 0) {
                throw new ReplicaBehind("the replica has not replayed the primary's WAL up to " + position + " within "
                        + wait + ": nothing is published before it has");
            }
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ReplicaBehind("interrupted while waiting for the replica to replay up to " + position);
            }
            pauseMillis = Math.min(pauseMillis * 2, 50);
        }
    }

    /** The replica is behind the primary (or does not answer): a publisher's round waits for it. */
    public static final class ReplicaBehind extends IllegalStateException {
        public ReplicaBehind(String message) {
            super(message);
        }
    }
}
