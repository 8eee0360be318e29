package io.amply.query.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.amply.ledger.hash.LedgerEntry;
import io.amply.ledger.hash.LedgerTime;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;

/** Reads {@code ledger_entries} rows back into the contract's entries. */
@Component
public class LedgerRows implements RowMapper<LedgerEntry> {

    public static final String SELECT = """
            SELECT id, organisation_id, sequence, type, amount, currency, visibility, metadata::text AS metadata,
                   created_at, content_hash, prev_entry_hash, entry_hash FROM ledger_entries""";

    private final ObjectMapper json;

    public LedgerRows(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public LedgerEntry mapRow(ResultSet rs, int rowNum) throws SQLException {
        try {
            return new LedgerEntry(rs.getString("id"), rs.getString("organisation_id"), rs.getLong("sequence"),
                    rs.getString("type"), rs.getLong("amount"), rs.getString("currency"), rs.getString("visibility"),
                    (ObjectNode) json.readTree(rs.getString("metadata")),
                    LedgerTime.format(rs.getObject("created_at", java.time.OffsetDateTime.class).toInstant()),
                    rs.getString("content_hash"), rs.getString("prev_entry_hash"), rs.getString("entry_hash"));
        } catch (JsonProcessingException e) {
            throw new SQLException("metadata of ledger entry " + rs.getString("id") + " is not JSON", e);
        }
    }
}
