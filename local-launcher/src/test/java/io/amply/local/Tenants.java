package io.amply.local;

import io.amply.ledger.hash.LedgerEntry;
import io.amply.ledger.hash.LedgerHashes;
import io.amply.ledger.hash.LedgerTime;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/** Test helpers that write tenant rows the way the application does (as amply_app, in context). */
final class Tenants {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Tenants() {
    }

    static String newId(String prefix) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder id = new StringBuilder(prefix);
        while (id.length() < 20) {
            id.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return id.toString();
    }

    static void setOrganisation(Connection connection, String organisationId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT amply_set_org(?)")) {
            statement.setString(1, organisationId);
            statement.execute();
        }
    }

    /** Creates an organisation (as the connection's role, in a transaction of its own). */
    static String createOrganisation(Connection connection) throws SQLException {
        return createOrganisation(connection, newId("org_"));
    }

    /** Creates the organisation {@code id} (as the connection's role, in a transaction of its own). */
    static String createOrganisation(Connection connection, String id) throws SQLException {
        connection.setAutoCommit(false);
        setOrganisation(connection, id);
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO organisations (id, name, country, status, default_visibility, created_at, updated_at)
                VALUES (?, 'Test charity', 'GB', 'pending', 'public_full', now(), now())""")) {
            insert.setString(1, id);
            insert.executeUpdate();
        }
        connection.commit();
        connection.setAutoCommit(true);
        return id;
    }

    /** A sealed entry for a chain position (prev = the previous entry's hash, null for sequence 1). */
    static LedgerEntry entry(String organisationId, long sequence, String prev) {
        return LedgerHashes.seal(newId("led_"), organisationId, sequence, "donation_received", 1000 + sequence, "EUR",
                "public_full", JsonNodeFactory.instance.objectNode().put("donation_id", "don_" + sequence),
                LedgerTime.format(Instant.now()), prev);
    }

    /** Inserts one entry as-is (inside the caller's transaction and org context). */
    static void insert(Connection connection, LedgerEntry e) throws SQLException {
        insert(connection, e, "ledger_entries");
    }

    /** The same into {@code table} as named (e.g. {@code public.ledger_entries}, past a temporary one of the same name). */
    static void insert(Connection connection, LedgerEntry e, String table) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO %s (id, organisation_id, sequence, type, amount, currency, visibility, metadata,
                                            created_at, content_hash, prev_entry_hash, entry_hash, source_event_id, source_index)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?::json, ?, ?, ?, ?, ?, 0)""".formatted(table))) {
            insert.setString(1, e.id());
            insert.setString(2, e.organisationId());
            insert.setLong(3, e.sequence());
            insert.setString(4, e.type());
            insert.setLong(5, e.amount());
            insert.setString(6, e.currency());
            insert.setString(7, e.visibility());
            insert.setString(8, e.metadata().toString());
            insert.setTimestamp(9, Timestamp.from(LedgerTime.parse(e.createdAt())));
            insert.setString(10, e.contentHash());
            insert.setString(11, e.prevEntryHash());
            insert.setString(12, e.entryHash());
            insert.setString(13, "test-" + e.id());
            insert.executeUpdate();
        }
    }

    /** Appends one entry in its own transaction. */
    static void append(Connection connection, LedgerEntry e) throws SQLException {
        append(connection, e, "ledger_entries");
    }

    /** {@link #append(Connection, LedgerEntry)} into {@code table} as named. */
    static void append(Connection connection, LedgerEntry e, String table) throws SQLException {
        connection.setAutoCommit(false);
        try {
            setOrganisation(connection, e.organisationId());
            insert(connection, e, table);
            connection.commit();
        } catch (SQLException failure) {
            connection.rollback();
            throw failure;
        } finally {
            connection.setAutoCommit(true);
        }
    }
}
