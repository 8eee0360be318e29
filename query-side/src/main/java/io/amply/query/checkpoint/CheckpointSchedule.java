package io.amply.query.checkpoint;

import io.amply.query.SessionLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * When checkpoints are made besides on request: every day at 00:00 UTC for every chain that grew,
 * and whenever a chain grew by {@code every-entries} entries or its last checkpoint is older than
 * {@code every}. With several query-side nodes, one advisory lock lets one node do a round.
 */
@Component
class CheckpointSchedule {

    private static final Logger log = LoggerFactory.getLogger(CheckpointSchedule.class);
    private static final long LOCK = 0x616d706c79L; // "amply"

    private final JdbcTemplate jdbc;
    /** One transaction per organisation's checkpoint (of its own even if a round were run inside another). */
    private final TransactionTemplate ownTransaction;
    private final Checkpoints checkpoints;
    private final CheckpointKeys keys;
    private final long everyEntries;
    private final Duration every;
    private final Clock clock;

    CheckpointSchedule(JdbcTemplate jdbc, TransactionTemplate transactions, Checkpoints checkpoints, CheckpointKeys keys,
                       @Value("${amply.checkpoints.every-entries:1000}") long everyEntries,
                       @Value("${amply.checkpoints.every:PT1H}") Duration every, Clock clock) {
        this.jdbc = jdbc;
        this.ownTransaction = new TransactionTemplate(transactions.getTransactionManager());
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.checkpoints = checkpoints;
        this.keys = keys;
        this.everyEntries = everyEntries;
        this.every = every;
        this.clock = clock;
    }

    /**
     * Every chain with entries since its last checkpoint. It waits for a round that is running (this
     * node's {@link #due()} on another scheduler thread, or another node's) instead of skipping, or
     * the day's checkpoint would be lost whenever the two met.
     */
    @Scheduled(cron = "0 0 0 * * *", zone = "UTC")
    void daily() {
        round(jdbc.queryForList("SELECT organisation_id FROM ledger_heads WHERE sequence > checkpoint_sequence", String.class),
                true);
    }

    @Scheduled(fixedDelayString = "${amply.checkpoints.check-interval:PT30S}", initialDelayString = "PT5S")
    void due() {
        due(everyEntries);
    }

    /** A look with its own threshold (CheckpointScheduleIT looks with a small one). */
    void due(long everyEntries) {
        round(jdbc.queryForList("""
                SELECT organisation_id FROM ledger_heads
                 WHERE sequence > checkpoint_sequence
                   AND (sequence - checkpoint_sequence >= ? OR checkpoint_at IS NULL
                        OR checkpoint_at < now() - make_interval(secs => ?))""",
                String.class, everyEntries, (double) every.toSeconds()));
    }

    private void round(List<String> organisations) {
        round(organisations, false);
    }

    /**
     * A round under the schedule's lock ({@link SessionLock}), waiting for it or, if another round
     * holds it (here or on another node), not made.
     */
    private void round(List<String> organisations, boolean waitForTheLock) {
        if (keys.signingKey().isEmpty() || organisations.isEmpty()) {
            return;
        }
        SessionLock.holding(jdbc, LOCK, waitForTheLock, () -> {
            // Each checkpoint commits on its own. In the round's transaction they held every chain
            // head they touched until the round ended, and the ledger writer, which updates several
            // heads in one batch, deadlocked with them; the failed batch then waited out the
            // processor's back-off (docs/benchmarks.md, the 70-second stall).
            for (String organisationId : organisations) {
                try {
                    ownTransaction.executeWithoutResult(status -> checkpoints.checkpoint(organisationId, clock.instant()));
                } catch (RuntimeException e) {
                    log.error("could not checkpoint the chain of {}", organisationId, e);
                }
            }
        });
    }
}
