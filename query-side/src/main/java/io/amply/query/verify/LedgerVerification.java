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

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recomputes an organisation's chain from the replica, entry by entry (streamed, so memory stays
 * flat however long the chain), and checks it against its latest signed checkpoint.
 */
@Component
public class LedgerVerification {

    private final Replica replica;
    private final LedgerRows rows;
    private final CheckpointKeys keys;
    private final JdbcTemplate streaming;

    LedgerVerification(Replica replica, LedgerRows rows, CheckpointKeys keys) {
        this.replica = replica;
        this.rows = rows;
        this.keys = keys;
        this.streaming = new JdbcTemplate(replica.jdbc().getDataSource());
        this.streaming.setFetchSize(5_000);
    }

    public Map<String, Object> verify(String organisationId) {
        return replica.transactions().execute(status -> {
            List<Checkpoint> latest = streaming.query(Checkpoints.SELECT
                    + " WHERE organisation_id = ? ORDER BY sequence DESC, created_at DESC LIMIT 1", Checkpoints.ROWS, organisationId);
            Checkpoint checkpoint = latest.isEmpty() ? null : latest.get(0);
            String[] hashAtCheckpoint = new String[1];
            ChainVerifier verifier = new ChainVerifier();
            streaming.query(TenantContext.SET_ORGANISATION, rs -> null, organisationId);
            streaming.query(LedgerRows.SELECT + " WHERE organisation_id = ? ORDER BY sequence", (RowCallbackHandler) rs -> {
                LedgerEntry entry = rows.mapRow(rs, 0);
                if (verifier.accept(entry) && checkpoint != null && entry.sequence() == checkpoint.sequence()) {
                    hashAtCheckpoint[0] = entry.entryHash();
                }
            }, organisationId);
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
