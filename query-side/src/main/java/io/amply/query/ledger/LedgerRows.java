package io.amply.query.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.amply.ledger.hash.LedgerEntry;
import io.amply.ledger.hash.LedgerTime;
import org.postgresql.PGStatement;
import org.springframework.jdbc.core.PreparedStatementCreator;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;

/** Reads {@code ledger_entries} rows back into the contract's entries. */
@Component
public class LedgerRows implements RowMapper<LedgerEntry> {

    /** The columns in the order {@link #mapRow} reads them by position. */
    public static final String SELECT = """
            SELECT id, organisation_id, sequence, type, amount, currency, visibility, metadata::text AS metadata,
                   created_at, content_hash, prev_entry_hash, entry_hash FROM ledger_entries""";

    /** Made once: ObjectMapper.readTree resolves the tree's type again on every call. */
    private final ObjectReader metadataReader;

    /**
     * The query for an organisation's whole chain in order, with binary results: the replica sends
     * timestamps and numbers as stored instead of formatting a million of each as text for the
     * driver to parse back (the exports stream it).
     */
    public static PreparedStatementCreator wholeChain(String organisationId) {
        return connection -> {
            PreparedStatement query = connection.prepareStatement(SELECT + " WHERE organisation_id = ? ORDER BY sequence");
            query.unwrap(PGStatement.class).setPrepareThreshold(-1);
            query.setString(1, organisationId);
            return query;
        };
    }

    public LedgerRows(ObjectMapper json) {
        this.metadataReader = json.reader();
    }

    @Override
    public LedgerEntry mapRow(ResultSet rs, int rowNum) throws SQLException {
        // by position, in SELECT's order (a look-up by name per column costs a map probe per value)
        String id = rs.getString(1);
        try {
            return new LedgerEntry(id, rs.getString(2), rs.getLong(3), rs.getString(4), rs.getLong(5), rs.getString(6),
                    rs.getString(7), (ObjectNode) metadataReader.readTree(rs.getString(8)),
                    LedgerTime.format(rs.getObject(9, OffsetDateTime.class).toInstant()),
                    rs.getString(10), rs.getString(11), rs.getString(12));
        } catch (JsonProcessingException e) {
            throw new SQLException("metadata of ledger entry " + id + " is not JSON", e);
        }
    }
}
