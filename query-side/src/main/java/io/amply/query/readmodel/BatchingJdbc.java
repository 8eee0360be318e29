package io.amply.query.readmodel;

import io.amply.db.TenantContext;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.ResultSetExtractor;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JdbcTemplate of a live projection whose handlers only write and never look at how many rows
 * a write changed. Inside an event processor's unit of work (a batch of events, one transaction
 * with the processor's token) its writes are queued, each with the organisation set for it, and
 * sent when the unit of work prepares to commit: organisation by organisation (setting it once for
 * row-level security), then as {@link WriteBatches}. Writing statement by statement, with the
 * organisation set before each event, made the live read models the largest share of the work
 * the query side does per event (docs/benchmarks.md). A read flushes the queue first, so it sees
 * every earlier write; outside a unit of work everything goes straight to the database.
 * {@link #update} returns 1 for a queued write: a projection that needs the real count must not
 * use this class.
 */
public final class BatchingJdbc extends QueuingJdbc {

    /** One unit of work's queued writes, by organisation in the order they first appeared. */
    private static final class Queue {
        private final Map<String, List<WriteBatches.Pending>> byOrganisation = new LinkedHashMap<>();
        private String organisationId = "";
        private String onConnection = "";
    }

    private final String resource = BatchingJdbc.class.getName() + "@" + Integer.toHexString(System.identityHashCode(this));
    private final WriteBatches batches = new WriteBatches();
    private final WriteBatches.Sender sender;

    public BatchingJdbc(DataSource dataSource) {
        super(dataSource);
        this.sender = WriteBatches.Sender.to(dataSource);
    }

    @Override
    public int update(String sql, Object... args) throws DataAccessException {
        Queue queue = queue();
        if (queue == null) {
            return super.update(sql, args);
        }
        WriteBatches.table(sql); // refuses anything but a write now, where the handler that sent it is known
        queue.byOrganisation.computeIfAbsent(queue.organisationId, o -> new ArrayList<>()).add(new WriteBatches.Pending(sql, args));
        return 1;
    }

    @Override
    public <T> T query(String sql, ResultSetExtractor<T> extractor, Object... args) throws DataAccessException {
        Queue queue = queue();
        if (queue != null && TenantContext.SET_ORGANISATION.equals(sql)) {
            queue.organisationId = args[0] == null ? "" : args[0].toString();
            return null;
        }
        return super.query(sql, extractor, args);
    }

    /** A read sees every earlier write: the queue is sent first, and the connection gets the current organisation. */
    @Override
    void beforeRead() {
        Queue queue = queue();
        if (queue != null) {
            flush(queue);
            setOnConnection(queue, queue.organisationId);
        }
    }

    private Queue queue() {
        if (!CurrentUnitOfWork.isStarted()) {
            return null;
        }
        UnitOfWork<?> root = CurrentUnitOfWork.get().root();
        return root.getOrComputeResource(resource, key -> {
            Queue queue = new Queue();
            root.onPrepareCommit(u -> flush(queue));
            return queue;
        });
    }

    private void flush(Queue queue) {
        for (Map.Entry<String, List<WriteBatches.Pending>> writes : queue.byOrganisation.entrySet()) {
            setOnConnection(queue, writes.getKey());
            batches.send(writes.getValue(), sender);
        }
        queue.byOrganisation.clear();
    }

    private void setOnConnection(Queue queue, String organisationId) {
        if (organisationId.isEmpty() || organisationId.equals(queue.onConnection)) {
            return;
        }
        execute((ConnectionCallback<Void>) connection -> {
            try (PreparedStatement statement = connection.prepareStatement(TenantContext.SET_ORGANISATION)) {
                statement.setString(1, organisationId);
                statement.execute();
            }
            return null;
        });
        queue.onConnection = organisationId;
    }
}
