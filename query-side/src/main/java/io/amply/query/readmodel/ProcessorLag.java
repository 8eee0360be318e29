package io.amply.query.readmodel;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.serialization.Serializer;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;

/** How far a streaming processor is behind the event store, as every node sees it. */
public final class ProcessorLag {

    private ProcessorLag() {
    }

    /**
     * Events in the store beyond the slowest of the processor's segments, from the token table (every
     * node's claims): the same on every node, whichever segments it holds.
     */
    public static long behind(String name, EventStore events, JdbcTemplate jdbc, Serializer serializer) {
        TrackingToken head = events.createHeadToken();
        if (head == null || head.position().isEmpty()) {
            return 0;
        }
        List<TrackingToken> tokens = tokens(name, jdbc, serializer);
        long slowest = tokens.stream().mapToLong(token -> token == null ? -1 : token.position().orElse(-1)).min().orElse(Long.MAX_VALUE);
        return slowest == Long.MAX_VALUE ? 0 : Math.max(0, head.position().getAsLong() - slowest);
    }

    /**
     * The most gaps any of the processor's segments carries: indexes it read past whose events were not
     * committed (yet). A few while transactions are in flight; thousands mean a storm of rolled-back
     * appends, which every batch writes back with its token (AxonSchemas.MAX_GAP_OFFSET caps them).
     */
    public static long gaps(String name, JdbcTemplate jdbc, Serializer serializer) {
        return tokens(name, jdbc, serializer).stream().filter(GapAwareTrackingToken.class::isInstance)
                .mapToLong(token -> ((GapAwareTrackingToken) token).getGaps().size()).max().orElse(0);
    }

    /** Every segment's token of the processor, from the token table (null for a segment not started). */
    private static List<TrackingToken> tokens(String name, JdbcTemplate jdbc, Serializer serializer) {
        return jdbc.query("SELECT token, token_type FROM token_entry WHERE processor_name = ?",
                (rs, row) -> Freshness.token(rs, serializer), name);
    }
}
