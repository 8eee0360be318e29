package io.amply.query.readmodel;

import io.amply.db.TenantContext;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.ResultSetExtractor;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.List;

/**
 * The JdbcTemplate a projection writes its rebuild twins with. A rebuild replays every event once
 * into empty tables, so a write's result is known in advance (one row); the writes are therefore
 * queued and sent in JDBC batches ({@link WriteBatches}) when the rebuild ends a batch of events
 * ({@link #flush}) or before anything is read. One round trip per statement per event was what
 * limited a rebuild (docs/benchmarks.md). The twins have no row-level security (V16: only the
 * application can read or write them), so setting the organisation is skipped.
 */
final class ReplayJdbc extends JdbcTemplate {

    private final List<WriteBatches.Pending> pending = new ArrayList<>();
    private final WriteBatches batches = new WriteBatches();
    private final WriteBatches.Sender sender;

    ReplayJdbc(DataSource dataSource) {
        super(dataSource);
        this.sender = WriteBatches.Sender.to(dataSource);
    }

    @Override
    public int update(String sql, Object... args) throws DataAccessException {
        pending.add(new WriteBatches.Pending(sql, args));
        return 1;
    }

    @Override
    public <T> T query(String sql, ResultSetExtractor<T> extractor, Object... args) throws DataAccessException {
        if (TenantContext.SET_ORGANISATION.equals(sql)) {
            return null;
        }
        flush();
        return super.query(sql, extractor, args);
    }

    /** Sends every queued write in the caller's transaction. */
    void flush() {
        batches.send(pending, sender);
        pending.clear();
    }

    /** Forgets queued writes (the transaction they belonged to rolled back). */
    void discard() {
        pending.clear();
    }
}
