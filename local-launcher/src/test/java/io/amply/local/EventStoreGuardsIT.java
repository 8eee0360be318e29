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

    /** An event as the application appends it, with {@code globalIndex} named, or left to its default when null. */
    private static void append(Connection connection, String eventId, Long globalIndex) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO domain_event_entry (%sevent_identifier, aggregate_identifier, sequence_number, type, time_stamp,
                                                payload_type, payload_revision, payload, meta_data)
                VALUES (%s?, ?, 0, 'Probe', ?, 'io.amply.local.Probe', '1', ?, ?)"""
                .formatted(globalIndex == null ? "" : "global_index, ", globalIndex == null ? "" : globalIndex + ", "))) {
            insert.setString(1, eventId);
            insert.setString(2, "probe_" + eventId);
            insert.setString(3, Instant.now().toString());
            insert.setBytes(4, "{}".getBytes(StandardCharsets.UTF_8));
            insert.setBytes(5, "{}".getBytes(StandardCharsets.UTF_8));
            insert.executeUpdate();
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
            String ahead = UUID.randomUUID().toString();
            String behind = UUID.randomUUID().toString();
            String drawnThenNamed = UUID.randomUUID().toString();

            // when / then: an index far ahead of the sequence (the processors would skip what it hands out next),
            // one behind what they have read (never read), refused with nothing written (until 2026-11-29 both went in);
            // before the session drew any index, by the sequence itself ("not yet defined in this session")
            assertThatThrownBy(() -> append(app, ahead, highest + 1_000_000)).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isIn("42501", "55000"));
            app.rollback();
            // once the session has drawn an index, by the guard
            append(app, UUID.randomUUID().toString(), null);
            assertThatThrownBy(() -> append(app, behind, 0L)).hasMessageContaining("not the one its sequence gave it");
            app.rollback();
            append(app, UUID.randomUUID().toString(), null);
            assertThatThrownBy(() -> append(app, drawnThenNamed, highest + 1_000_000))
                    .hasMessageContaining("not the one its sequence gave it");
            app.rollback();
            app.setAutoCommit(true);
        }
        try (Connection superuser = stack.superuser(); Statement statement = superuser.createStatement();
             ResultSet rs = statement.executeQuery("SELECT count(*) FROM domain_event_entry WHERE global_index > "
                     + "pg_sequence_last_value(pg_get_serial_sequence('domain_event_entry', 'global_index')::regclass)")) {
            rs.next();
            assertThat(rs.getLong(1)).as("events beyond the sequence").isZero();
        }
    }
}
