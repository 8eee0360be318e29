package io.amply.local;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * What a failed freshness assertion needs to be diagnosed from a CI log alone: a processing
 * group's token rows on the primary and on the replica (segment, owner, claim time, token), and
 * the query side's own view of its segments.
 */
final class ProcessorStates {

    private ProcessorStates() {
    }

    static String describe(TestStack stack, String processingGroup) {
        StringBuilder out = new StringBuilder("\n--- processing group ").append(processingGroup).append(" ---\n");
        Serializer serializer = stack.apps().query().getBean("serializer", Serializer.class);
        try (Connection primary = stack.superuser(); Connection replica = stack.postgres.superuserOnReplica(AmplyDatabase.NAME)) {
            out.append("primary:\n").append(rows(primary, processingGroup, serializer));
            out.append("replica:\n").append(rows(replica, processingGroup, serializer));
        } catch (SQLException | RuntimeException e) {
            out.append("token rows unreadable: ").append(e).append('\n');
        }
        out.append(asTheQuerySideSeesIt(stack, processingGroup));
        stack.apps().query().getBean(EventProcessingConfiguration.class)
                .eventProcessor(processingGroup, StreamingEventProcessor.class)
                .ifPresentOrElse(processor -> {
                    out.append("processor running=").append(processor.isRunning()).append(" error=").append(processor.isError())
                            .append('\n');
                    processor.processingStatus().forEach((segment, status) -> out.append("  segment ").append(segment)
                            .append(": ").append(status.getSegment()).append(" caughtUp=").append(status.isCaughtUp())
                            .append(" replaying=").append(status.isReplaying()).append(" error=").append(status.isErrorState())
                            .append(" token=").append(status.getTrackingToken()).append('\n'));
                }, () -> out.append("no such processor\n"));
        return out.toString();
    }

    /** The token rows through the query side's own replica pool, what its freshness reports, and the replica's sessions. */
    private static String asTheQuerySideSeesIt(TestStack stack, String processingGroup) {
        StringBuilder out = new StringBuilder("through the query side's replica pool:\n");
        try {
            org.springframework.jdbc.core.JdbcTemplate jdbc = stack.apps().query().getBean(io.amply.query.Replica.class).jdbc();
            jdbc.query("""
                    SELECT segment, token IS NULL AS no_token, token_type, octet_length(token) AS bytes, pg_backend_pid() AS pid,
                           statement_timestamp() AS at, pg_last_xact_replay_timestamp() AS replayed, current_user AS role
                      FROM token_entry WHERE processor_name = ? ORDER BY segment""", rs -> {
                out.append("  segment ").append(rs.getInt("segment")).append(" no_token=").append(rs.getBoolean("no_token"))
                        .append(" type=").append(rs.getString("token_type")).append(" bytes=").append(rs.getLong("bytes"))
                        .append(" pid=").append(rs.getInt("pid")).append(" at=").append(rs.getString("at"))
                        .append(" replayed=").append(rs.getString("replayed")).append(" role=").append(rs.getString("role")).append('\n');
            }, processingGroup);
            out.append("freshness (all segments): ").append(stack.apps().query().getBean(io.amply.query.readmodel.Freshness.class)
                    .require(processingGroup, null)).append('\n');
        } catch (RuntimeException e) {
            out.append("  failed: ").append(e).append('\n');
        }
        out.append(Diagnostics.sessions("replica", () -> stack.postgres.superuserOnReplica(AmplyDatabase.NAME)));
        return out.toString();
    }

    private static String rows(Connection connection, String processingGroup, Serializer serializer) throws SQLException {
        StringBuilder out = new StringBuilder();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT segment, owner, timestamp, token_type, token FROM token_entry WHERE processor_name = ? ORDER BY segment")) {
            query.setString(1, processingGroup);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    byte[] bytes = rs.getBytes("token");
                    String type = rs.getString("token_type");
                    TrackingToken token = bytes == null || type == null ? null
                            : serializer.deserialize(new SimpleSerializedObject<>(bytes, byte[].class, type, null));
                    out.append("  segment ").append(rs.getInt("segment")).append(" owner=").append(rs.getString("owner"))
                            .append(" at=").append(rs.getString("timestamp")).append(" token=").append(token).append('\n');
                }
            }
        }
        return out.toString();
    }
}
