package io.amply.query.readmodel;

import io.amply.events.api.ApiErrorCode;
import io.amply.query.Replica;
import io.amply.query.web.ApiException;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * How fresh a read from the replica is, and read-your-writes. A projection's rows and its
 * processing group's tokens are written in one transaction on the primary, so the tokens the
 * replica holds say exactly which events the replica's rows include. Every read reports the
 * position (global event index) its projection reached there and the replica's replay lag. A
 * client that passes {@code min_position} (the {@code meta.position} a write returned) gets data
 * that includes that write, or, after a short wait, a clear "not yet" ({@code conflict}, to be sent
 * again shortly); never stale data presented as fresh.
 */
@Component
public class Freshness {

    /** The ledger's processing group, the one read model with a dead-letter queue (LedgerProjector.GROUP). */
    private static final String LEDGER = "ledger";

    /** The group's tokens and the replica's lag, in one round trip (a row without a segment when there are no tokens). */
    private static final String TOKENS = """
            SELECT t.segment, t.token, t.token_type, %s AS lag_ms
              FROM replica_heartbeat h LEFT JOIN token_entry t ON t.processor_name = ?""".formatted(ReplicaLag.LAG_MS);

    /** What one look at the replica found: the tokens that matter, and the replay lag. */
    private record Tokens(List<TrackingToken> tokens, long lagMs) {
    }

    private final Replica replica;
    private final ReplicaLag replicaLag;
    private final JdbcTemplate primary;
    private final Serializer serializer;
    private final Duration wait;
    /**
     * Requests that may wait for a position at once, per node: each holds a request thread and polls the
     * replica while it waits, and public reads take {@code min_position} from anyone (a gap the chain
     * never fills is waited for in vain); beyond these a read answers "not yet" at once.
     */
    private final Semaphore waiting;

    Freshness(Replica replica, ReplicaLag replicaLag, JdbcTemplate primary, Serializer serializer,
              @Value("${amply.read-your-writes.wait:PT2S}") Duration wait,
              @Value("${amply.read-your-writes.max-waiting:16}") int maxWaiting) {
        this.replica = replica;
        this.replicaLag = replicaLag;
        this.primary = primary;
        this.serializer = serializer;
        this.wait = wait;
        this.waiting = new Semaphore(maxWaiting);
    }

    /** {@link #require(String, String, Long)} for a read that is not about one organisation. */
    public Map<String, Object> require(String processingGroup, Long minPosition) {
        return require(processingGroup, null, minPosition);
    }

    /**
     * The freshness of {@code processingGroup}'s read model on the replica, for {@code meta.freshness}.
     * With {@code minPosition}, first waits (briefly) until the read model includes that position,
     * and refuses with "not yet" if it does not. For one organisation's data only the segment that
     * handles that organisation counts (events are sequenced by organisation), so a write is
     * visible as soon as its own segment has it; other segments store their position only now and
     * then when they have nothing to do.
     */
    public Map<String, Object> require(String processingGroup, String organisationId, Long minPosition) {
        return require(processingGroup, organisationId, minPosition, System.nanoTime() + wait.toNanos());
    }

    private Map<String, Object> require(String processingGroup, String organisationId, Long minPosition, long deadline) {
        if (minPosition != null && minPosition < 0) {
            throw ApiException.invalid("min_position", "min_position must be a position a write returned (0 or more)");
        }
        boolean headChecked = false;
        boolean waits = false;
        try {
            while (true) {
                Tokens read = tokens(processingGroup, organisationId);
                Long parkedFrom = parkedFrom(processingGroup, organisationId);
                if (minPosition == null || covers(read.tokens(), minPosition) && (parkedFrom == null || minPosition < parkedFrom)) {
                    return report(processingGroup, read, parkedFrom);
                }
                if (!headChecked) {
                    // a position no write has had yet would be waited for in vain, holding this request's thread and
                    // polling the replica for the whole wait: the event store's head on the primary tells at once
                    requireWritten(minPosition);
                    headChecked = true;
                    waits = waiting.tryAcquire();
                    if (!waits) {
                        throw new ApiException(ApiErrorCode.CONFLICT, "not yet: the " + processingGroup + " read model on the "
                                + "replica is at position " + position(read.tokens()) + ", before " + minPosition
                                + ", and this node has as many reads waiting as it allows; retry shortly", "min_position");
                    }
                }
                if (System.nanoTime() > deadline) {
                    if (parkedFrom != null && minPosition >= parkedFrom) {
                        throw new ApiException(ApiErrorCode.CONFLICT, "not yet: this organisation's events from position " + parkedFrom
                                + " are parked in the ledger's dead-letter queue until operators retry them", "min_position");
                    }
                    throw new ApiException(ApiErrorCode.CONFLICT, "not yet: the " + processingGroup + " read model on the replica is at position "
                            + position(read.tokens()) + ", before " + minPosition + "; retry shortly", "min_position");
                }
                sleep();
            }
        } finally {
            if (waits) {
                waiting.release();
            }
        }
    }

    /**
     * {@link #require(String, String, Long)} for a read that combines several read models: each must
     * include {@code minPosition}, and the freshness reported is the least fresh one's.
     */
    public Map<String, Object> requireAll(String organisationId, Long minPosition, String... processingGroups) {
        Map<String, Object> least = null;
        long deadline = System.nanoTime() + wait.toNanos(); // one wait for them all, not one each
        for (String group : processingGroups) {
            Map<String, Object> fresh = require(group, organisationId, minPosition, deadline);
            if (least == null || (Long) fresh.get("position") < (Long) least.get("position")) {
                least = fresh;
            }
        }
        return least;
    }

    /** Refuses a position beyond the event store's head: no write has returned it (yet). */
    private void requireWritten(long minPosition) {
        Long head = primary.queryForObject("SELECT max(global_index) FROM domain_event_entry", Long.class);
        if (head == null || minPosition > head) {
            throw ApiException.invalid("min_position", "min_position " + minPosition + " is beyond the last event written ("
                    + (head == null ? "none yet" : head) + "): pass the meta.position a write returned");
        }
    }

    /**
     * For the ledger, the position of the organisation's first event parked in its dead-letter queue, or
     * null: the token moves past parked events, so without this a read claimed a position its chain had
     * not reached (and read-your-writes answered without the write).
     */
    private Long parkedFrom(String processingGroup, String organisationId) {
        if (!LEDGER.equals(processingGroup) || organisationId == null) {
            return null;
        }
        return replica.jdbc().queryForObject("SELECT amply_ledger_parked_from(?)", Long.class, organisationId);
    }

    private static Map<String, Object> report(String processingGroup, Tokens read, Long parkedFrom) {
        Map<String, Object> freshness = new LinkedHashMap<>();
        freshness.put("served_from", "replica");
        freshness.put("projection", processingGroup);
        long position = position(read.tokens());
        freshness.put("position", parkedFrom == null ? position : Math.min(position, parkedFrom - 1));
        if (parkedFrom != null) {
            freshness.put("parked_from", parkedFrom);
        }
        freshness.put("replica_lag_ms", read.lagMs());
        return freshness;
    }

    /** The tokens of the group's segments on the replica (of the organisation's segment only, given one). */
    private Tokens tokens(String processingGroup, String organisationId) {
        Map<Integer, TrackingToken> bySegment = new LinkedHashMap<>();
        long[] lag = new long[1];
        replica.jdbc().query(TOKENS, rs -> {
            lag[0] = rs.getLong("lag_ms");
            if (rs.getObject("segment") == null) {
                return;
            }
            bySegment.put(rs.getInt("segment"), token(rs, serializer));
        }, replicaLag.allowanceMs(), processingGroup);
        if (organisationId == null || bySegment.isEmpty()) {
            return new Tokens(new ArrayList<>(bySegment.values()), lag[0]);
        }
        return new Tokens(own(bySegment, organisationId), lag[0]);
    }

    /** The token of the segment that handles {@code organisationId}'s events, among the group's segments. */
    public static List<TrackingToken> own(Map<Integer, TrackingToken> bySegment, String organisationId) {
        // sorted before the walk: computeSegment sorts the array it is given, in place, so walking an unsorted one
        // skipped a segment and looked at another twice, and an organisation in the skipped one read "not yet" for as
        // long as the rows kept that order (the rows come in the order of the table's pages)
        int[] ids = bySegment.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
        List<TrackingToken> own = new ArrayList<>(1);
        for (int id : ids) {
            if (Segment.computeSegment(id, ids).matches((Object) organisationId)) {
                own.add(bySegment.get(id));
            }
        }
        return own;
    }

    /**
     * Every segment has processed (or passed) the event at {@code position}: its index is there and
     * that event is not one of its gaps. (Axon's own {@code covers} also asks that no earlier gap
     * be open, which is stricter than a read of one write needs.)
     */
    static boolean covers(List<TrackingToken> tokens, long position) {
        if (tokens.isEmpty()) {
            return false;
        }
        return tokens.stream().allMatch(token -> {
            if (token instanceof GapAwareTrackingToken gapAware) {
                return gapAware.getIndex() >= position && !gapAware.getGaps().contains(position);
            }
            return token != null && token.position().orElse(-1) >= position;
        });
    }

    /** The token of a {@code token_entry} row (its {@code token} and {@code token_type}), unwrapped from a replay; null if none. */
    public static TrackingToken token(java.sql.ResultSet rs, Serializer serializer) throws java.sql.SQLException {
        byte[] bytes = rs.getBytes("token");
        String type = rs.getString("token_type");
        return bytes == null || type == null ? null
                : WrappedToken.unwrapLowerBound(serializer.deserialize(new SimpleSerializedObject<>(bytes, byte[].class, type, null)));
    }

    /** The position every segment has reached: the lowest of them; -1 before the first event. */
    static long position(List<TrackingToken> tokens) {
        if (tokens.isEmpty()) {
            return -1;
        }
        return tokens.stream().mapToLong(t -> t == null ? -1 : t.position().orElse(-1)).min().orElse(-1);
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ApiErrorCode.SERVER_ERROR, "interrupted", null);
        }
    }
}
