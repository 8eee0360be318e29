package io.amply.query.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import io.amply.events.api.ApiData;
import io.amply.events.api.ApiEnvelope;
import io.amply.events.api.ApiErrorCode;
import io.amply.ledger.hash.Checkpoint;
import io.amply.query.Replica;
import io.amply.query.security.Owners;
import io.amply.query.web.ApiException;
import io.amply.query.web.Cursors;
import io.amply.query.web.RequestIds;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.ArrayList;
import java.util.List;

/** The signed checkpoints and the keys that verify them; public, from the replica. */
@RestController
class PublicCheckpointController {

    private final Replica replica;
    private final CheckpointKeys keys;
    private final Owners owners;

    PublicCheckpointController(Replica replica, CheckpointKeys keys, Owners owners) {
        this.replica = replica;
        this.keys = keys;
        this.owners = owners;
    }

    /** A bare JWK Set (RFC 7517), so that standard tools read it as they are. */
    @GetMapping("/v1/public/keys")
    JsonNode keys() {
        return keys.published().toJson();
    }

    @GetMapping("/v1/public/organisations/{organisationId}/checkpoints")
    @ApiData(value = CheckpointAnswers.SignedCheckpoint.class, list = true)
    ApiEnvelope<List<Object>> list(@PathVariable String organisationId, @RequestParam(defaultValue = "50") int limit,
                                   @RequestParam(required = false) String cursor, HttpServletRequest http) {
        if (limit < 1 || limit > 100) {
            throw ApiException.invalid("limit", "limit must be between 1 and 100");
        }
        // the cursor holds the key too: one sequence has a checkpoint per key that signed it (a key rotation signs the
        // head again), and a cursor of the sequence alone skipped the rest of that sequence's checkpoints
        Cursors.SequenceKey after = Cursors.decodeSequenceKey(cursor);
        owners.requireOrganisation(organisationId);
        List<Object> parameters = new ArrayList<>(List.of(organisationId));
        StringBuilder sql = new StringBuilder(Checkpoints.SELECT).append(" WHERE organisation_id = ?");
        if (after != null && after.keyId() != null) {
            sql.append(" AND (sequence, key_id) > (?, ?)");
            parameters.add(after.sequence());
            parameters.add(after.keyId());
        } else if (after != null) {
            sql.append(" AND sequence > ?");
            parameters.add(after.sequence());
        }
        sql.append(" ORDER BY sequence, key_id LIMIT ?");
        parameters.add(limit + 1);
        List<Checkpoint> found = replica.jdbc().query(sql.toString(), Checkpoints.ROWS, parameters.toArray());
        boolean more = found.size() > limit;
        List<Checkpoint> page = more ? found.subList(0, limit) : found;
        Checkpoint last = page.isEmpty() ? null : page.get(page.size() - 1);
        return ApiEnvelope.list(page.stream().<Object>map(Checkpoint::toJson).toList(), more,
                more ? Cursors.encodeSequenceKey(last.sequence(), last.keyId()) : null, RequestIds.current(http));
    }

    @GetMapping("/v1/public/checkpoints/{checkpointId}")
    @ApiData(CheckpointAnswers.SignedCheckpoint.class)
    ApiEnvelope<Object> get(@PathVariable String checkpointId, HttpServletRequest http) {
        List<Checkpoint> found = replica.jdbc().query(Checkpoints.SELECT + " WHERE id = ?", Checkpoints.ROWS, checkpointId);
        if (found.isEmpty()) {
            throw new ApiException(ApiErrorCode.NOT_FOUND, "no checkpoint " + checkpointId, "checkpoint_id");
        }
        return ApiEnvelope.of(found.get(0).toJson(), RequestIds.current(http));
    }
}
