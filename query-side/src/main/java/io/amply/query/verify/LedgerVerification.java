package io.amply.query.verify;

import io.amply.db.TenantContext;
import io.amply.ledger.hash.ChainVerdict;
import io.amply.ledger.hash.ChainVerifier;
import io.amply.ledger.hash.Checkpoint;
import io.amply.ledger.hash.CheckpointVerifier;
import io.amply.ledger.hash.LedgerEntry;
import io.amply.query.Replica;
import io.amply.query.checkpoint.CheckpointKeys;
import io.amply.query.checkpoint.Checkpoints;
import io.amply.query.ledger.LedgerRows;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
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
 * flat however long the chain), and checks it against its latest signed checkpoint. The request's
 * thread reads the rows while a second thread parses and hashes the ones read before: reading
 * and checking each took about half of the time, one after the other (docs/benchmarks.md).
 */
@Component
public class LedgerVerification {

    private final Replica replica;
    private final LedgerRows rows;
    private final CheckpointKeys keys;
    private final JdbcTemplate streaming;
    private final ExecutorService checkers = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "ledger-verify-check");
        thread.setDaemon(true);
        return thread;
    });

    private static final int CHUNK = 1_000;
    private static final int CHUNKS_AHEAD = 4;
    /** The reader's "no more rows" (compared by identity). */
    private static final List<LedgerRows.Raw> END = new ArrayList<>(0);

    LedgerVerification(Replica replica, LedgerRows rows, CheckpointKeys keys) {
        this.replica = replica;
        this.rows = rows;
        this.keys = keys;
        this.streaming = new JdbcTemplate(replica.jdbc().getDataSource());
        this.streaming.setFetchSize(5_000);
    }

    /** Thrown into the read when the checker has stopped (it failed): reading on would be in vain. */
    private static final class CheckerStopped extends RuntimeException {
        CheckerStopped() {
            super(null, null, false, false);
        }
    }

    /** Waits for room in the queue; stops the read at once if the checker has stopped (get() reports why). */
    private static void hand(BlockingQueue<List<LedgerRows.Raw>> chunks, List<LedgerRows.Raw> chunk, Future<Void> checking) {
        try {
            while (!checking.isDone()) {
                if (chunks.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
            throw new CheckerStopped();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the chain", e);
        }
    }

    public Map<String, Object> verify(String organisationId) {
        return replica.transactions().execute(status -> {
            List<Checkpoint> latest = streaming.query(Checkpoints.SELECT
                    + " WHERE organisation_id = ? ORDER BY sequence DESC, created_at DESC LIMIT 1", Checkpoints.ROWS, organisationId);
            Checkpoint checkpoint = latest.isEmpty() ? null : latest.get(0);
            String[] hashAtCheckpoint = new String[1];
            ChainVerifier verifier = new ChainVerifier();
            // this thread reads the rows; another parses and hashes them meanwhile (memory: CHUNKS_AHEAD chunks)
            BlockingQueue<List<LedgerRows.Raw>> chunks = new ArrayBlockingQueue<>(CHUNKS_AHEAD);
            Future<Void> checking = checkers.submit(() -> {
                boolean broken = false;
                for (List<LedgerRows.Raw> chunk = chunks.take(); chunk != END; chunk = chunks.take()) {
                    for (int i = 0; i < chunk.size() && !broken; i++) {
                        LedgerEntry entry = rows.entry(chunk.get(i));
                        broken = !verifier.accept(entry);
                        if (!broken && checkpoint != null && entry.sequence() == checkpoint.sequence()) {
                            hashAtCheckpoint[0] = entry.entryHash();
                        }
                    }
                }
                return null;
            });
            try {
                try {
                    streaming.query(TenantContext.SET_ORGANISATION, rs -> null, organisationId);
                    List<List<LedgerRows.Raw>> filling = new ArrayList<>(List.of(new ArrayList<>(CHUNK)));
                    streaming.query(LedgerRows.wholeChain(organisationId), (RowCallbackHandler) rs -> {
                        List<LedgerRows.Raw> chunk = filling.get(0);
                        chunk.add(rows.raw(rs));
                        if (chunk.size() == CHUNK) {
                            hand(chunks, chunk, checking);
                            filling.set(0, new ArrayList<>(CHUNK));
                        }
                    });
                    hand(chunks, filling.get(0), checking);
                    hand(chunks, END, checking);
                } catch (CheckerStopped stopped) {
                    // the checker failed: get() below throws what stopped it
                }
                checking.get(); // after this, the verifier's state is this thread's to read
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
            ChainVerdict verdict = verifier.verdict();

            Map<String, Object> result = new LinkedHashMap<>();
            result.put("organisation_id", organisationId);
            Map<String, Object> checkpointResult = null;
            boolean checkpointOk = true;
            if (checkpoint != null) {
                CheckpointVerifier.Result checked = CheckpointVerifier.verify(checkpoint, keys.published(),
                        sequence -> sequence == checkpoint.sequence() ? hashAtCheckpoint[0] : null);
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
