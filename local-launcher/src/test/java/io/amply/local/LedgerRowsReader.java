package io.amply.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.amply.ledger.hash.LedgerEntry;
import io.amply.ledger.hash.LedgerTime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** Reads an organisation's chain back from ledger_entries, ordered by sequence. */
final class LedgerRowsReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LedgerRowsReader() {
    }

    /** Reads in the connection's current context; a superuser connection sees every organisation. */
    static List<LedgerEntry> chain(Connection connection, String organisationId) throws SQLException {
        List<LedgerEntry> entries = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT id, organisation_id, sequence, type, amount, currency, visibility, metadata::text, created_at,
                       content_hash, prev_entry_hash, entry_hash
                  FROM ledger_entries WHERE organisation_id = ? ORDER BY sequence""")) {
            query.setString(1, organisationId);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    entries.add(new LedgerEntry(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                            rs.getLong(5), rs.getString(6), rs.getString(7), (ObjectNode) JSON.readTree(rs.getString(8)),
                            LedgerTime.format(rs.getObject(9, OffsetDateTime.class).toInstant()), rs.getString(10),
                            rs.getString(11), rs.getString(12)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }

    static List<LedgerEntry> chainAsSuperuser(TestStack stack, String organisationId) throws SQLException {
        try (Connection connection = stack.superuser()) {
            return chain(connection, organisationId);
        }
    }
}
