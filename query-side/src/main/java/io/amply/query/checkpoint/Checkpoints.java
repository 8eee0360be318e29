package io.amply.query.checkpoint;

import io.amply.db.TenantContext;
import io.amply.ledger.hash.Checkpoint;
import io.amply.ledger.hash.LedgerTime;
import io.amply.query.DerivedIds;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/** Makes, stores and reads signed checkpoints of chain heads (ledger-hash-v1 §4). */
@Component
public class Checkpoints {

    public static final RowMapper<Checkpoint> ROWS = (rs, n) -> new Checkpoint(rs.getString("id"),
            rs.getString("organisation_id"), rs.getLong("sequence"), rs.getString("entry_hash"),
            LedgerTime.format(rs.getObject("created_at", OffsetDateTime.class).toInstant()), rs.getString("key_id"),
            rs.getString("signature"));
    public static final String SELECT = "SELECT id, organisation_id, sequence, entry_hash, created_at, key_id, signature FROM checkpoints";

    private final JdbcTemplate jdbc;
    private final CheckpointKeys keys;

    Checkpoints(JdbcTemplate jdbc, CheckpointKeys keys) {
        this.jdbc = jdbc;
        this.keys = keys;
    }

    /**
     * Signs the organisation's current chain head, inside the caller's transaction on the primary.
     * Nothing happens when the chain is empty, no key is configured, or the head is already
     * checkpointed with the current key.
     */
    public Optional<Checkpoint> checkpoint(String organisationId, Instant at) {
        if (keys.signingKey().isEmpty()) {
            return Optional.empty();
        }
        jdbc.query(TenantContext.SET_ORGANISATION, rs -> null, organisationId);
        List<Object[]> heads = jdbc.query(
                "SELECT sequence, entry_hash FROM ledger_entries WHERE organisation_id = ? ORDER BY sequence DESC LIMIT 1",
                (rs, n) -> new Object[]{rs.getLong(1), rs.getString(2)}, organisationId);
        if (heads.isEmpty()) {
            return Optional.empty();
        }
        long sequence = (Long) heads.get(0)[0];
        String entryHash = (String) heads.get(0)[1];
        String id = DerivedIds.of("chk_", organisationId + "/" + sequence + "/" + keys.keyId());
        Checkpoint checkpoint = Checkpoint.sign(id, organisationId, sequence, entryHash, LedgerTime.format(at),
                keys.keyId(), keys.signingKey().get());
        int inserted = jdbc.update("""
                INSERT INTO checkpoints (id, organisation_id, sequence, entry_hash, created_at, key_id, signature)
                VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
                checkpoint.id(), organisationId, sequence, entryHash, Timestamp.from(LedgerTime.parse(checkpoint.createdAt())),
                checkpoint.keyId(), checkpoint.signature());
        // never backwards: an on-demand checkpoint and the schedule may sign different heads concurrently
        jdbc.update("""
                UPDATE ledger_heads SET checkpoint_sequence = greatest(checkpoint_sequence, ?),
                       checkpoint_at = CASE WHEN ? >= checkpoint_sequence THEN ? ELSE checkpoint_at END
                 WHERE organisation_id = ?""", sequence, sequence, Timestamp.from(at), organisationId);
        return inserted == 1 ? Optional.of(checkpoint) : Optional.empty();
    }
}
