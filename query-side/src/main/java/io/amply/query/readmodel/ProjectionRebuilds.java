package io.amply.query.readmodel;

import io.amply.db.TenantContext;
import io.amply.query.SessionLock;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * Rebuilds a read model from the event store while the old one keeps serving. The events are
 * replayed through a second instance of the projection that writes the {@code _rebuild} twins of
 * its tables; once the replay has caught up with the event store, the live processor is stopped,
 * the last few events are replayed, and one transaction makes the live rows equal to the rebuilt
 * ones (writing only those that differ) and moves the processor's tokens to where the replay ended. Clients read the old rows
 * until that transaction commits and the new ones after it; nothing in between.
 */
@Component
public class ProjectionRebuilds {

    private static final Logger log = LoggerFactory.getLogger(ProjectionRebuilds.class);
    private static final int BATCH = 1000;

    private final Map<String, RebuildableProjection> projections = new LinkedHashMap<>();
    private final Map<String, RebuildStatus> statuses = new ConcurrentHashMap<>();
    private final EventStore eventStore;
    private final EventProcessingConfiguration processing;
    private final TokenStore tokenStore;
    private final JdbcTemplate jdbc;
    private final DataSource dataSource;
    private final TransactionTemplate transactions;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "projection-rebuild");
        thread.setDaemon(true);
        return thread;
    });

    ProjectionRebuilds(List<RebuildableProjection> projections, EventStore eventStore, EventProcessingConfiguration processing,
                       TokenStore tokenStore, JdbcTemplate jdbc, DataSource dataSource, TransactionTemplate transactions) {
        projections.forEach(p -> this.projections.put(p.processingGroup(), p));
        this.eventStore = eventStore;
        this.processing = processing;
        this.tokenStore = tokenStore;
        this.jdbc = jdbc;
        this.dataSource = dataSource;
        this.transactions = transactions;
    }

    /** The processing groups that can be rebuilt. */
    public List<String> groups() {
        return List.copyOf(projections.keySet());
    }

    /** The last or current rebuild of {@code group}, or null if none ran since start-up. */
    public RebuildStatus status(String group) {
        return statuses.get(group);
    }

    /**
     * Starts rebuilding {@code group} in the background; refuses a group that is being rebuilt, here or
     * on another node. Two rebuilds of one group share its twin tables: one emptying them under the other
     * lost the other's rows for good at its swap, and double-counted the totals both replayed. So a rebuild
     * holds the group's lock ({@link SessionLock}, {@link #lockKey}) from its start to its end.
     */
    public synchronized RebuildStatus start(String group) {
        RebuildableProjection projection = projections.get(group);
        if (projection == null) {
            throw new IllegalArgumentException("no rebuildable read model " + group + "; one of " + groups());
        }
        RebuildStatus current = statuses.get(group);
        if (current != null && !current.finished()) {
            throw new IllegalStateException(group + " is already being rebuilt");
        }
        Connection lockSession = lockFor(group);
        RebuildStatus status = new RebuildStatus(group, Instant.now());
        statuses.put(group, status);
        executor.submit(() -> {
            try {
                run(projection, status);
            } finally {
                release(lockSession, group);
            }
        });
        return status;
    }

    /** The advisory lock a rebuild of {@code group} holds (ReadModelsIT takes it as another node would). */
    public static long lockKey(String group) {
        return UUID.nameUUIDFromBytes(("amply read-model rebuild " + group).getBytes(StandardCharsets.UTF_8))
                .getMostSignificantBits();
    }

    private Connection lockFor(String group) {
        Connection session = null;
        try {
            session = dataSource.getConnection();
            if (SessionLock.tryLock(session, lockKey(group))) {
                return session;
            }
        } catch (SQLException e) {
            close(session);
            throw new IllegalStateException("could not take the rebuild lock of " + group + ": " + e.getMessage(), e);
        }
        close(session);
        throw new IllegalStateException(group + " is being rebuilt on another node");
    }

    private static void release(Connection session, String group) {
        try {
            SessionLock.unlock(session, lockKey(group));
        } catch (SQLException e) {
            log.warn("could not release the rebuild lock of {}", group, e);
        } finally {
            close(session);
        }
    }

    private static void close(Connection session) {
        if (session != null) {
            try {
                session.close();
            } catch (SQLException e) {
                log.warn("could not close a rebuild lock's session", e);
            }
        }
    }

    /** Rebuilds {@code group} and returns when done (tests, the command line). */
    public RebuildStatus rebuild(String group) throws InterruptedException {
        RebuildStatus status = start(group);
        while (!status.finished()) {
            TimeUnit.MILLISECONDS.sleep(50);
        }
        return status;
    }

    private void run(RebuildableProjection projection, RebuildStatus status) {
        String group = projection.processingGroup();
        EventProcessor processor = processing.eventProcessor(group).orElse(null);
        AtomicReference<CompletableFuture<Void>> stopping = new AtomicReference<>();
        // the live processor is stopped for the catch-up and the swap; that takes a few hundred milliseconds,
        // so it begins while the replay writes its last batches
        Runnable stopLive = () -> {
            if (processor != null && stopping.get() == null) {
                stopping.set(processor.shutdownAsync());
            }
        };
        try (ReplayJdbc replayJdbc = new ReplayJdbc(dataSource, transactions)) {
            AnnotationEventHandlerAdapter handler = new AnnotationEventHandlerAdapter(projection.writingTo(Target.REBUILD, replayJdbc));
            UUID run = UUID.randomUUID();
            transactions.executeWithoutResult(tx -> {
                projection.tables().forEach(t -> jdbc.execute("TRUNCATE " + Target.REBUILD.table(t)));
                jdbc.update("""
                        INSERT INTO rebuild_runs (processing_group, run_id) VALUES (?, ?)
                        ON CONFLICT (processing_group) DO UPDATE SET run_id = EXCLUDED.run_id, started_at = now()""", group, run);
            });
            try (BlockingStream<TrackedEventMessage<?>> stream = eventStore.openStream(null);
                 Prefetch events = new Prefetch(stream, 4 * BATCH)) {
                status.phase("replaying");
                TrackingToken token = replay(events, handler, replayJdbc, status, null, stopLive);
                status.phase("catching_up");
                stopLive.run();
                if (stopping.get() != null) {
                    stopping.get().get();
                }
                token = replay(events, handler, replayJdbc, status, token, () -> {
                });
                status.phase("swapping");
                TrackingToken last = token;
                Swapped swapped = transactions.execute(tx -> swap(projection, last, run));
                status.done(swapped.rows(), swapped.changed());
            }
            log.info("Rebuilt read model {}: {} events replayed, rows {}, live rows changed {}", group, status.processed(), status.rows(),
                    status.changed());
        } catch (Exception e) {
            log.error("Rebuilding read model {} failed; the live one is unchanged", group, e);
            status.failed(e);
        } finally {
            if (stopping.get() != null) {
                stopping.get().exceptionally(e -> null).join(); // a processor still stopping would ignore start()
                processor.start();
            }
        }
    }

    /**
     * Replays until the stream has nothing more and the token has reached the event store's head as
     * of now, and returns once every replayed write is committed; runs {@code nearEnd} once fewer
     * than two batches are left. Each batch's writes are sent while the next batch is handled
     * ({@link ReplayJdbc}).
     */
    private TrackingToken replay(Prefetch events, AnnotationEventHandlerAdapter handler, ReplayJdbc replayJdbc,
                                 RebuildStatus status, TrackingToken from, Runnable nearEnd) throws Exception {
        TrackingToken token = from;
        long head = head();
        status.head(head);
        List<TrackedEventMessage<?>> batch = new ArrayList<>(BATCH);
        while (true) {
            long reached = token == null ? -1 : token.position().orElse(-1);
            if (reached >= head) {
                replayJdbc.sync();
                return token; // checked before waiting for more: the wait would only time out
            }
            if (head - reached <= 2L * BATCH) {
                nearEnd.run();
            }
            events.drainTo(batch, BATCH, 100);
            if (batch.isEmpty()) {
                long now = head();
                if (now > head) {
                    head = now;
                    status.head(head);
                }
                continue;
            }
            for (TrackedEventMessage<?> event : batch) {
                try {
                    if (handler.canHandle(event)) {
                        handler.handle(event);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException("event " + event.getIdentifier() + " (" + event.getPayloadType().getSimpleName()
                            + ") could not be replayed: " + e.getMessage(), e);
                }
            }
            replayJdbc.flush();
            token = batch.get(batch.size() - 1).trackingToken();
            status.progress(batch.size(), token.position().orElse(-1));
            batch.clear();
        }
    }

    /**
     * Reads the event stream on its own thread, payloads deserialised there, while the rebuild
     * writes on its thread: reading and writing overlap instead of taking turns. Holds at most
     * {@code capacity} events ahead of the writer.
     */
    private static final class Prefetch implements AutoCloseable {
        private final BlockingQueue<TrackedEventMessage<?>> queue;
        private final Thread reader;
        private volatile boolean closed;
        private volatile Throwable failure;

        Prefetch(BlockingStream<TrackedEventMessage<?>> stream, int capacity) {
            this.queue = new ArrayBlockingQueue<>(capacity);
            this.reader = new Thread(() -> read(stream), "projection-rebuild-reader");
            this.reader.setDaemon(true);
            this.reader.start();
        }

        private void read(BlockingStream<TrackedEventMessage<?>> stream) {
            try {
                while (!closed) {
                    if (!stream.hasNextAvailable(100, TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                    TrackedEventMessage<?> event = stream.nextAvailable();
                    try {
                        event.getPayload();
                    } catch (RuntimeException e) {
                        // not readable: the writer meets the same error when it handles the event, and reports it
                    }
                    while (!closed && !queue.offer(event, 100, TimeUnit.MILLISECONDS)) {
                        // the writer is behind: wait for room
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (!closed) {
                    failure = e; // the writer must not wait for events that will never come
                }
            } catch (Throwable e) {
                failure = e;
            }
        }

        /** Adds up to {@code max} events to {@code batch}, waiting up to {@code waitMillis} for the first. */
        void drainTo(List<TrackedEventMessage<?>> batch, int max, long waitMillis) throws InterruptedException {
            TrackedEventMessage<?> first = queue.poll(waitMillis, TimeUnit.MILLISECONDS);
            if (first == null) {
                if (failure != null) {
                    throw new IllegalStateException("reading the event store failed: " + failure.getMessage(), failure);
                }
                return;
            }
            batch.add(first);
            queue.drainTo(batch, max - 1);
        }

        @Override
        public void close() throws InterruptedException {
            closed = true;
            reader.join(TimeUnit.SECONDS.toMillis(10));
            if (reader.isAlive()) {
                reader.interrupt(); // e.g. stuck in a fetch: do not let it use the stream being closed
                reader.join(TimeUnit.SECONDS.toMillis(10));
            }
        }
    }

    private long head() {
        TrackingToken head = eventStore.createHeadToken(); // null while the store is empty
        return head == null ? -1 : head.position().orElse(-1);
    }

    /**
     * In one transaction: the live tables are made equal to the rebuilt ones, and the processor's
     * tokens get the replay's position. Only rows that differ are written (a live row without an
     * identical rebuilt row is deleted, then every rebuilt row the live table lacks is inserted):
     * a rebuild that finds the model right, the usual case, writes nothing, where replacing every
     * row cost more than the whole replay (docs/benchmarks.md).
     */
    private Swapped swap(RebuildableProjection projection, TrackingToken token, UUID run) {
        String group = projection.processingGroup();
        // the twins are unlogged: a crash (or a failover) since they were emptied has emptied them again, with the
        // mark beside them (V32), and the replay's later batches went on into them; swapped, the live model would
        // lose every row of the events before the restart
        if (jdbc.update("DELETE FROM rebuild_runs WHERE processing_group = ? AND run_id = ?", group, run) != 1) {
            throw new IllegalStateException("the database restarted or failed over while the rebuild ran, which empties its "
                    + "(unlogged) scratch tables: what it replayed before is gone; the live read model is unchanged, start the "
                    + "rebuild again");
        }
        // the segments first, each claimed and its row locked until the swap commits: a processor of another node
        // then holds none (the claim fails at once, before any table is touched) or cannot commit a batch between
        // the swap's statements (its token's update waits, then finds its claim gone) to be counted twice
        int[] segments = tokenStore.fetchSegments(group);
        for (int segment : segments) {
            tokenStore.fetchToken(group, segment); // claims it: this node's processor is stopped and released it
        }
        // room to compare the two tables in a hash join: with the default 4 MB PostgreSQL walks both primary keys
        // in a merge join, about twice as slow for 200,000 rows (docs/benchmarks.md); this transaction only
        jdbc.execute("SET LOCAL work_mem = '64MB'");
        List<String> organisations = jdbc.queryForList("SELECT DISTINCT organisation_id FROM resource_owners", String.class);
        Swapped swapped = new Swapped(new LinkedHashMap<>(), new LinkedHashMap<>());
        for (String table : projection.tables()) {
            String twin = Target.REBUILD.table(table);
            String samePrimaryKey = primaryKey(table).stream().map(c -> "t." + c + " = l." + c).collect(Collectors.joining(" AND "));
            String deleteStale = "DELETE FROM " + table + " l WHERE NOT EXISTS (SELECT 1 FROM " + twin + " t WHERE "
                    + samePrimaryKey + " AND ROW(t.*) IS NOT DISTINCT FROM ROW(l.*))";
            String insertMissing = "INSERT INTO " + table + " SELECT * FROM " + twin + " t WHERE NOT EXISTS (SELECT 1 FROM "
                    + table + " l WHERE " + samePrimaryKey + ")";
            long changed = 0;
            if (isolated(table)) {
                // row-level security scopes every statement to one organisation
                for (String organisationId : organisations) {
                    jdbc.query(TenantContext.SET_ORGANISATION, rs -> null, organisationId);
                    changed += jdbc.update(deleteStale + " AND l.organisation_id = ?", organisationId);
                    changed += jdbc.update(insertMissing + " AND t.organisation_id = ?", organisationId);
                }
            } else {
                changed += jdbc.update(deleteStale);
                changed += jdbc.update(insertMissing);
            }
            swapped.rows().put(table, jdbc.queryForObject("SELECT count(*) FROM " + twin, Long.class));
            swapped.changed().put(table, changed);
        }
        for (int segment : segments) {
            tokenStore.storeToken(token, group, segment);
            tokenStore.releaseClaim(group, segment);
        }
        return swapped;
    }

    /** Rows per table of the rebuilt model, and how many live rows the swap deleted or inserted. */
    private record Swapped(Map<String, Long> rows, Map<String, Long> changed) {
    }

    private List<String> primaryKey(String table) {
        List<String> columns = jdbc.queryForList("""
                SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
                 WHERE i.indrelid = ?::regclass AND i.indisprimary ORDER BY a.attnum""", String.class, table);
        if (columns.isEmpty()) {
            throw new IllegalStateException("read-model table " + table + " has no primary key; a rebuild compares rows by it");
        }
        return columns;
    }

    private boolean isolated(String table) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT relforcerowsecurity FROM pg_class WHERE oid = ?::regclass",
                Boolean.class, table));
    }

    /** Where a rebuild is: for the operations endpoint and the log. */
    public static final class RebuildStatus {
        private final String group;
        private final Instant startedAt;
        private volatile String phase = "starting";
        private volatile Instant phaseStartedAt;
        private final Map<String, Double> phaseSeconds = new ConcurrentHashMap<>();
        private volatile long processed;
        private volatile long position = -1;
        private volatile long head = -1;
        private volatile Instant finishedAt;
        private volatile Map<String, Long> rows = Map.of();
        private volatile Map<String, Long> changed = Map.of();
        private volatile String error;

        RebuildStatus(String group, Instant startedAt) {
            this.group = group;
            this.startedAt = startedAt;
        }

        void phase(String phase) {
            endPhase();
            this.phase = phase;
            this.phaseStartedAt = Instant.now();
        }

        private void endPhase() {
            Instant started = phaseStartedAt == null ? startedAt : phaseStartedAt;
            phaseSeconds.put(this.phase, (Instant.now().toEpochMilli() - started.toEpochMilli()) / 1000.0);
        }

        void head(long head) {
            this.head = head;
        }

        void progress(int events, long position) {
            this.processed += events;
            this.position = position;
        }

        void done(Map<String, Long> rows, Map<String, Long> changed) {
            this.rows = rows;
            this.changed = changed;
            endPhase();
            this.finishedAt = Instant.now();
            this.phase = "done";
        }

        void failed(Exception e) {
            this.error = e.getMessage();
            endPhase();
            this.finishedAt = Instant.now();
            this.phase = "failed";
        }

        public boolean finished() {
            return finishedAt != null;
        }

        public boolean succeeded() {
            return "done".equals(phase);
        }

        public long processed() {
            return processed;
        }

        public Map<String, Long> rows() {
            return rows;
        }

        /** Live rows the swap deleted or inserted, per table: zero when the old model was right. */
        public Map<String, Long> changed() {
            return changed;
        }

        public String error() {
            return error;
        }

        /** As the operations endpoint shows it. */
        public Map<String, Object> describe() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("group", group);
            out.put("phase", phase);
            out.put("events_replayed", processed);
            out.put("position", position);
            out.put("head", head);
            out.put("percent", head <= 0 ? (position >= head ? 100.0 : 0.0)
                    : Math.min(100.0, Math.round(1000.0 * Math.max(0, position) / head) / 10.0));
            double seconds = ((finishedAt == null ? Instant.now() : finishedAt).toEpochMilli() - startedAt.toEpochMilli()) / 1000.0;
            out.put("events_per_second", seconds <= 0 ? 0 : Math.round(processed / seconds));
            out.put("started_at", startedAt.toString());
            out.put("finished_at", finishedAt == null ? null : finishedAt.toString());
            Map<String, Double> perPhase = new LinkedHashMap<>();
            for (String name : List.of("starting", "replaying", "catching_up", "swapping")) {
                Double took = phaseSeconds.get(name);
                if (took != null) {
                    perPhase.put(name, took);
                }
            }
            out.put("seconds_per_phase", perPhase);
            out.put("rows", rows);
            out.put("rows_changed", changed);
            out.put("error", error);
            return out;
        }
    }
}
