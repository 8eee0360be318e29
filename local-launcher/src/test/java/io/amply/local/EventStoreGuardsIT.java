package io.amply.local;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the database itself guarantees about the event store, whatever the application's role does. */
class EventStoreGuardsIT {

    private static TestStack stack;

    @BeforeAll
    static void start() {
        stack = TestStack.get();
    }

    /** An event as the application appends it, with {@code globalIndex} named, or left to its default when null: its index. */
    private static long append(Connection connection, String eventId, Long globalIndex) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO domain_event_entry (%sevent_identifier, aggregate_identifier, sequence_number, type, time_stamp,
                                                payload_type, payload_revision, payload, meta_data)
                VALUES (%s?, ?, 0, 'Probe', ?, 'io.amply.local.Probe', '1', ?, ?) RETURNING global_index"""
                .formatted(globalIndex == null ? "" : "global_index, ", globalIndex == null ? "" : globalIndex + ", "))) {
            insert.setString(1, eventId);
            insert.setString(2, "probe_" + eventId);
            insert.setString(3, Instant.now().toString());
            insert.setBytes(4, "{}".getBytes(StandardCharsets.UTF_8));
            insert.setBytes(5, "{}".getBytes(StandardCharsets.UTF_8));
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long highestIndex(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT coalesce(max(global_index), 0) FROM domain_event_entry")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void theApplicationsRoleCannotGiveAnEventAGlobalIndexOfItsOwn() throws SQLException {
        try (Connection app = stack.app()) {
            app.setAutoCommit(false);
            long highest = highestIndex(app);
            // an index the sequence gave this session in a transaction rolled back: its gap, once the processors have
            // given it up, is behind what they have read
            long drawn = append(app, UUID.randomUUID().toString(), null);
            app.rollback();

            // when / then: an index far ahead of the sequence (the processors would skip what it hands out next), one
            // behind what they have read, and the one drawn and rolled back, each refused with nothing written (until
            // 2026-11-29 each went in; V46's trigger still let the last through)
            for (long index : new long[]{highest + 1_000_000, 0, drawn}) {
                assertThatThrownBy(() -> append(app, UUID.randomUUID().toString(), index)).as("index %d", index)
                        .isInstanceOf(SQLException.class).hasMessageContaining("permission denied")
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
                app.rollback();
            }
            // and an event as Axon appends it, its index left to the sequence, still goes in
            append(app, UUID.randomUUID().toString(), null);
            app.rollback();
            app.setAutoCommit(true);
        }
        try (Connection superuser = stack.superuser(); Statement statement = superuser.createStatement();
             ResultSet rs = statement.executeQuery("SELECT count(*) FROM domain_event_entry WHERE global_index > "
                     + "pg_sequence_last_value(pg_get_serial_sequence('domain_event_entry', 'global_index')::regclass)"
                     + " OR global_index = 0")) {
            rs.next();
            assertThat(rs.getLong(1)).as("events beyond the sequence, or at 0").isZero();
        }
    }
}
