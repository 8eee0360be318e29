package io.amply.query.verify;

import io.amply.db.TenantContext;
import io.amply.ledger.hash.ChainVerdict;
import io.amply.ledger.hash.ChainVerifier;
import io.amply.ledger.hash.CheckedLines;
import io.amply.ledger.hash.Checkpoint;
import io.amply.ledger.hash.CheckpointVerifier;
import io.amply.ledger.hash.ExportLineChecker;
import io.amply.ledger.hash.LedgerEntry;
import io.amply.query.Replica;
import io.amply.query.checkpoint.CheckpointKeys;
import io.amply.query.checkpoint.Checkpoints;
import io.amply.query.ledger.ChainCopy;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.postgresql.copy.CopyOut;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Recomputes an organisation's chain from the replica, entry by entry (streamed, so memory stays
 * flat however long the chain), and checks it against its latest signed checkpoint.
 *
 * <p>The rows come with {@code COPY (FORMAT binary)} ({@link ChainCopy}), and a second thread checks
 * them with the command-line verifier's own checker, given each row's values instead of a line
 * ({@link ExportLineChecker#checkFields}, then {@link ChainVerifier#tryAccept}); a row it leaves
 * alone becomes an entry and is taken the reference way ({@link ChainVerifier#accept}), as the CLI
 * does with such a line. The request's thread reads while the checker works on the rows read before.
 */
@Component
public class LedgerVerification {

    private final TransactionTemplate snapshot;
    /** Sequences per COPY (at most one more row each): what is read in vain, at most, after the checker found the chain broken. */
    private final long range;
    private final CheckpointKeys keys;
    private final Replica replica;
    private final JdbcTemplate jdbc;
    private final ExecutorService checkers = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "ledger-verify-check");
        thread.setDaemon(true);
        return thread;
    });

    private static final int CHUNK = 1_000;
    /** Chunks in flight between the reader and the checker: what bounds the memory. */
    private static final int CHUNKS = 4;
    /** The reader's "no more rows" (compared by identity). */
    private static final ChainCopy.Rows END = new ChainCopy.Rows("", 0, 1);

    LedgerVerification(Replica replica, CheckpointKeys keys, @Value("${amply.ledger.verification.range:100000}") long range) {
        if (range < 1 || range > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("amply.ledger.verification.range must be 1.." + Integer.MAX_VALUE + ", not " + range);
        }
        this.range = range;
        this.keys = keys;
        this.replica = replica;
        this.jdbc = replica.jdbc();
        // One snapshot for the checkpoint and every range of the chain (allowed on a standby).
        this.snapshot = new TransactionTemplate(replica.transactions().getTransactionManager());
        this.snapshot.setReadOnly(true);
        this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
    }

    /** Thrown into the read when the checker has stopped (the chain broke, or it failed): reading on would be in vain. */
    private static final class CheckerStopped extends RuntimeException {
        CheckerStopped() {
            super(null, null, false, false);
        }
    }

    /** Waits for a chunk from {@code queue}; stops the read at once if the checker has stopped (get() reports why). */
    private static ChainCopy.Rows take(BlockingQueue<ChainCopy.Rows> queue, Future<?> checking) throws InterruptedException {
        while (!checking.isDone()) {
            ChainCopy.Rows chunk = queue.poll(100, TimeUnit.MILLISECONDS);
            if (chunk != null) {
                return chunk;
            }
        }
        throw new CheckerStopped();
    }

    /** The checking thread's state: the chain so far, and where it broke if a row was no entry at all. */
    private static final class Checker {
        private final ChainVerifier verifier = new ChainVerifier();
        private final ExportLineChecker fields = new ExportLineChecker();
        private final CheckedLines checked = new CheckedLines(CHUNK);
        private final long checkpointSequence;
        private String hashAtCheckpoint;
        /** Why a row could not be checked as an entry (then the chain breaks there), or null. */
        private String notAnEntry;

        Checker(Checkpoint checkpoint) {
            this.checkpointSequence = checkpoint == null ? -1 : checkpoint.sequence();
        }

        /** Checks the chunk's rows in order; false once the chain is broken. */
        boolean check(ChainCopy.Rows chunk) {
            checked.clear();
            for (int i = 0; i < chunk.count(); i++) {
                if (!check(chunk, i)) {
                    return false;
                }
            }
            return true;
        }

        private boolean check(ChainCopy.Rows chunk, int row) {
            int index = fields.checkFields(chunk.bytes(), chunk.ranges(), chunk.at(row), chunk.sequence(row),
                    chunk.amount(row), checked);
            if (index >= 0 && verifier.tryAccept(checked, index)) {
                if (checked.sequence(index) == checkpointSequence) {
                    hashAtCheckpoint = checked.entryHash(index);
                }
                return true;
            }
            // Outside the fast subset, or not following on: the row as an entry, the reference way.
            LedgerEntry entry;
            try {
                entry = chunk.entry(row);
            } catch (IllegalArgumentException e) {
                notAnEntry = "the row is not a ledger entry: " + e.getMessage();
                return false;
            }
            // Every row of the database holds its whole entry: one without content is not taken as withheld.
            if (!entry.hasContent()) {
                notAnEntry = "the row's content (type, amount, currency, metadata) is missing";
                return false;
            }
            if (!verifier.accept(entry)) {
                return false;
            }
            if (entry.sequence() == checkpointSequence) {
                hashAtCheckpoint = entry.entryHash();
            }
            return true;
        }

        ChainVerdict verdict() {
            ChainVerdict verdict = verifier.verdict();
            if (notAnEntry == null || !verdict.valid()) {
                return verdict;
            }
            return new ChainVerdict(false, verdict.entriesChecked() + 1, verdict.headSequence() + 1, notAnEntry,
                    verdict.headSequence(), verdict.headEntryHash());
        }
    }

    /**
     * Streams the chain of the transaction's organisation into chunks of rows for the checker, then
     * hands it {@link #END}. One COPY per {@link #range} sequences, of at most one row more, so that
     * when the checker stops early (the chain is broken) at most the rest of one COPY is read in
     * vain: a COPY cannot be left half read, and cancelling it could cancel the transaction's next
     * statement instead.
     */
    private void read(String organisationId, Future<Void> checking, BlockingQueue<ChainCopy.Rows> free,
                      BlockingQueue<ChainCopy.Rows> full) throws InterruptedException {
        // The transaction's connection: the organisation was set on it, and the snapshot is its.
        Connection connection = DataSourceUtils.getConnection(jdbc.getDataSource());
        Long last = jdbc.queryForObject("SELECT max(sequence) FROM ledger_entries WHERE organisation_id = amply_current_org()",
                Long.class);
        try {
            CopyManager copies = connection.unwrap(PGConnection.class).getCopyAPI();
            ChainCopy.Rows chunk = take(free, checking);
            Long after = null;
            while (!checking.isDone()) {
                long upTo = after == null ? range : after > Long.MAX_VALUE - range ? Long.MAX_VALUE : after + range;
                // A valid chain has at most `range` entries here; one more proves it broken within the range.
                CopyOut copy = copies.copyOut(ChainCopy.copy(after, upTo, range + 1));
                long rowsInRange = 0;
                try {
                    ChainCopy rows = new ChainCopy(ChainCopy.of(copy));
                    while (rows.next(chunk)) {
                        rowsInRange++;
                        if (chunk.count() == CHUNK) {
                            full.add(chunk);
                            chunk = take(free, checking);
                        }
                    }
                } finally {
                    drain(copy);
                }
                if (last == null || upTo >= last || rowsInRange > range) {
                    break;
                }
                // An empty range (only in a damaged chain) jumps to the next sequence there is, however far.
                after = rowsInRange > 0 ? upTo : jdbc.queryForObject("SELECT min(sequence) - 1 FROM ledger_entries"
                        + " WHERE organisation_id = amply_current_org() AND sequence > ?", Long.class, upTo);
            }
            if (checking.isDone()) {
                throw new CheckerStopped();
            }
            full.add(chunk);
            full.add(END);
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("reading the chain from the replica failed: " + e.getMessage(), e);
        }
    }

    /** Reads what is left of a COPY, leaving the connection ready for the next statement. */
    private static void drain(CopyOut copy) throws SQLException {
        while (copy.isActive() && copy.readFromCopy() != null) {
            // discarded
        }
    }

    public Map<String, Object> verify(String organisationId) {
        return snapshot.execute(status -> {
            replica.withoutStatementTimeout(); // each range's COPY waits for the checker: as long as the chain takes
            List<Checkpoint> latest = jdbc.query(Checkpoints.SELECT
                    + " WHERE organisation_id = ? ORDER BY sequence DESC, created_at DESC LIMIT 1", Checkpoints.ROWS, organisationId);
            Checkpoint checkpoint = latest.isEmpty() ? null : latest.get(0);
            Checker checker = new Checker(checkpoint);
            // this thread reads the rows; another checks them meanwhile (memory: CHUNKS chunks)
            BlockingQueue<ChainCopy.Rows> free = new ArrayBlockingQueue<>(CHUNKS);
            BlockingQueue<ChainCopy.Rows> full = new ArrayBlockingQueue<>(CHUNKS + 1);
            for (int i = 0; i < CHUNKS; i++) {
                free.add(new ChainCopy.Rows(organisationId, 512 * 1024, CHUNK));
            }
            Future<Void> checking = checkers.submit(() -> {
                for (ChainCopy.Rows chunk = full.take(); chunk != END; chunk = full.take()) {
                    if (!checker.check(chunk)) {
                        return null; // broken: the rest would change nothing
                    }
                    chunk.clear();
                    free.add(chunk);
                }
                return null;
            });
            try {
                try {
                    jdbc.query(TenantContext.SET_ORGANISATION, rs -> null, organisationId);
                    read(organisationId, checking, free, full);
                } catch (CheckerStopped stopped) {
                    // the checker stopped (the chain broke, or it failed): get() below says which
                }
                checking.get(); // after this, the checker's state is this thread's to read
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while verifying the chain of " + organisationId, e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException("verifying the chain of " + organisationId + " failed: " + e.getCause().getMessage(), e.getCause());
            } finally {
                checking.cancel(true);
            }
            ChainVerdict verdict = checker.verdict();

            Map<String, Object> result = new LinkedHashMap<>();
            result.put("organisation_id", organisationId);
            Map<String, Object> checkpointResult = null;
            boolean checkpointOk = true;
            if (checkpoint != null) {
                CheckpointVerifier.Result checked = CheckpointVerifier.verify(checkpoint, keys.published(),
                        sequence -> sequence == checkpoint.sequence() ? checker.hashAtCheckpoint : null);
                checkpointOk = checked.valid();
                checkpointResult = new LinkedHashMap<>();
                checkpointResult.put("id", checkpoint.id());
                checkpointResult.put("sequence", checkpoint.sequence());
                checkpointResult.put("key_id", checkpoint.keyId());
                checkpointResult.put("valid", checked.valid());
                checkpointResult.put("problem", checked.problem());
            }
            result.put("valid", verdict.valid() && checkpointOk);
            result.put("entries_checked", verdict.entriesChecked());
            result.put("first_bad_sequence", verdict.firstBadSequence() != null ? verdict.firstBadSequence()
                    : checkpointOk ? null : checkpoint.sequence());
            result.put("reason", verdict.reason() != null ? verdict.reason()
                    : checkpointOk ? null : "checkpoint: " + checkpointResult.get("problem"));
            result.put("head_sequence", verdict.headSequence());
            result.put("head_entry_hash", verdict.headEntryHash());
            result.put("checkpoint", checkpointResult);
            return result;
        });
    }
}
