package io.amply.query.readmodel;

import io.amply.db.TenantContext;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.ResultSetExtractor;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The JdbcTemplate a projection writes its rebuild twins with. A rebuild replays every event once
 * into empty tables, so a write's result is known in advance (one row); the writes are therefore
 * queued and sent in JDBC batches ({@link WriteBatches}) when the rebuild ends a batch of events
 * ({@link #flush}). One round trip per statement per event was what limited a rebuild
 * (docs/benchmarks.md). The batches go to the database on a thread of their own, one transaction
 * each, in the order they were flushed, while the next batch of events is handled: the handlers'
 * work and PostgreSQL's overlap instead of taking turns. At most {@link #IN_FLIGHT} batches are
 * queued there; a read waits for all of them ({@link #sync}), so it sees every write made before
 * it. The twins have no row-level security (V16: only the application can read or write them), so
 * setting the organisation is skipped.
 */
final class ReplayJdbc extends QueuingJdbc implements AutoCloseable {

    private static final int IN_FLIGHT = 2;

    private List<WriteBatches.Pending> pending = new ArrayList<>();
    private final WriteBatches batches = new WriteBatches();
    private final WriteBatches.Sender sender;
    private final TransactionTemplate transactions;
    private final Deque<Future<?>> inFlight = new ArrayDeque<>();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "projection-rebuild-writer");
        thread.setDaemon(true);
        return thread;
    });

    ReplayJdbc(DataSource dataSource, TransactionTemplate transactions) {
        super(dataSource);
        this.sender = WriteBatches.Sender.to(dataSource);
        this.transactions = transactions;
    }

    @Override
    public int update(String sql, Object... args) throws DataAccessException {
        pending.add(new WriteBatches.Pending(sql, args));
        return 1;
    }

    @Override
    public int update(String sql) throws DataAccessException {
        return update(sql, new Object[0]);
    }

    @Override
    public <T> T query(String sql, ResultSetExtractor<T> extractor, Object... args) throws DataAccessException {
        if (TenantContext.SET_ORGANISATION.equals(sql)) {
            return null;
        }
        return super.query(sql, extractor, args);
    }

    @Override
    void beforeRead() {
        sync();
    }

    /**
     * Hands the queued writes to the writer thread, to be sent in one transaction after those
     * handed over before; waits first if {@link #IN_FLIGHT} batches are still being sent, and
     * throws if one of them failed.
     */
    void flush() {
        while (inFlight.size() >= IN_FLIGHT) {
            await(inFlight.removeFirst());
        }
        List<WriteBatches.Pending> writes = pending;
        pending = new ArrayList<>();
        inFlight.addLast(writer.submit(() -> transactions.executeWithoutResult(tx -> batches.send(writes, sender))));
    }

    /** Sends what is queued and returns once every write handed over is committed; throws if one failed. */
    void sync() {
        if (!pending.isEmpty()) {
            flush();
        }
        while (!inFlight.isEmpty()) {
            await(inFlight.removeFirst());
        }
    }

    private static void await(Future<?> batch) {
        try {
            batch.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the rebuild's writes were being sent", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new IllegalStateException("writing the rebuilt rows failed: " + cause.getMessage(), cause);
        }
    }

    /** Stops the writer thread; writes not yet sent are dropped (the rebuild failed, or {@link #sync} ran). */
    @Override
    public void close() {
        writer.shutdownNow();
    }
}
