package io.amply.db;

import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * How both sides' processors read the event store past a token that carries gaps: Axon's own
 * statement, but with the gaps bound as one {@code bigint[]} ({@code = ANY(?)}) instead of one
 * parameter each ({@code IN (?, ?, …)}). Axon's form has a different SQL text for every number of
 * gaps, so the driver never prepares it on the server and PostgreSQL parses and plans each read
 * afresh; and it fails outright past 65,535 gaps, the protocol's cap on bind parameters. This form
 * is one statement whatever the gaps. For {@code JdbcEventStorageEngine.builder().readEventDataWithGaps(...)}.
 */
public final class GapsAsOneArray {

    private GapsAsOneArray() {
    }

    /** A {@code ReadEventDataWithGapsStatementBuilder}: the events after {@code globalIndex} up to a batch, and the gaps. */
    public static PreparedStatement readEventDataWithGaps(Connection connection, EventSchema schema, long globalIndex,
                                                          int batchSize, List<Long> gaps) throws SQLException {
        String index = schema.globalIndexColumn();
        PreparedStatement statement = connection.prepareStatement("SELECT " + schema.trackedEventFields()
                + " FROM " + schema.domainEventTable()
                + " WHERE (" + index + " > ? AND " + index + " <= ?) OR " + index + " = ANY(?)"
                + " ORDER BY " + index + " ASC");
        Array indexes = connection.createArrayOf("bigint", gaps.toArray());
        statement.setLong(1, globalIndex);
        statement.setLong(2, globalIndex + batchSize);
        statement.setArray(3, indexes);
        return statement;
    }
}
