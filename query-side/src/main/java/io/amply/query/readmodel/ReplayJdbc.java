package io.amply.query.readmodel;

import io.amply.db.TenantContext;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.ResultSetExtractor;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JdbcTemplate a projection writes its rebuild twins with. A rebuild replays every event once
 * into empty tables, so a write's result is known in advance (one row); the writes are therefore
 * queued and sent in JDBC batches, consecutive statements of the same SQL together, in their
 * original order, when the rebuild ends a batch of events ({@link #flush}) or before anything is
 * read. One round trip per statement per event was what limited a rebuild (docs/benchmarks.md).
 * The twins have no row-level security (V16: only the application can read or write them), so
 * setting the organisation is skipped.
 */
final class ReplayJdbc extends JdbcTemplate {

    private record Pending(String sql, Object[] args) {
    }

    private static final Pattern WRITTEN_TABLE = Pattern.compile("^\\s*(?:INSERT\\s+INTO|UPDATE|DELETE\\s+FROM)\\s+(\\w+)",
            Pattern.CASE_INSENSITIVE);

    private static final Pattern DO_UPDATE = Pattern.compile("\\bDO\\s+UPDATE\\b", Pattern.CASE_INSENSITIVE);

    private final List<Pending> pending = new ArrayList<>();
    private final Map<String, Optional<UpsertShape>> shapes = new HashMap<>();

    ReplayJdbc(DataSource dataSource) {
        super(dataSource);
    }

    @Override
    public int update(String sql, Object... args) throws DataAccessException {
        pending.add(new Pending(sql, args));
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

    /**
     * Sends every queued write in the caller's transaction: table by table (read-model tables do
     * not refer to one another, so writes to different tables commute), each table's writes in
     * their original order, consecutive writes of the same SQL as one JDBC batch.
     */
    void flush() {
        Map<String, List<Pending>> byTable = new LinkedHashMap<>();
        for (Pending write : pending) {
            byTable.computeIfAbsent(table(write.sql()), t -> new ArrayList<>()).add(write);
        }
        for (List<Pending> writes : byTable.values()) {
            int start = 0;
            while (start < writes.size()) {
                String sql = writes.get(start).sql();
                int end = start;
                List<Object[]> run = new ArrayList<>();
                while (end < writes.size() && writes.get(end).sql().equals(sql)) {
                    run.add(writes.get(end).args());
                    end++;
                }
                if (DO_UPDATE.matcher(sql).find()) {
                    upsert(sql, run);
                } else {
                    super.batchUpdate(sql, run);
                }
                start = end;
            }
        }
        pending.clear();
    }

    /**
     * An upsert that updates may not meet one row twice in a multi-row INSERT (PostgreSQL refuses),
     * so a run of them is cut into batches of distinct keys; counters aimed at the same row are
     * first merged into one write. An upsert whose shape is not understood goes one by one.
     */
    private void upsert(String sql, List<Object[]> run) {
        UpsertShape shape = shapes.computeIfAbsent(sql, s -> Optional.ofNullable(UpsertShape.of(s))).orElse(null);
        if (shape == null) {
            run.forEach(args -> super.update(sql, args));
            return;
        }
        Map<List<Object>, Object[]> batch = new LinkedHashMap<>();
        for (Object[] args : run) {
            List<Object> key = shape.key(args);
            Object[] earlier = batch.get(key);
            if (earlier == null) {
                batch.put(key, args);
            } else if (shape.mergeable(earlier) && shape.mergeable(args)) {
                batch.put(key, shape.merge(earlier, args));
            } else {
                super.batchUpdate(sql, new ArrayList<>(batch.values()));
                batch.clear();
                batch.put(key, args);
            }
        }
        super.batchUpdate(sql, new ArrayList<>(batch.values()));
    }

    private static String table(String sql) {
        Matcher matcher = WRITTEN_TABLE.matcher(sql);
        if (!matcher.find()) {
            throw new IllegalArgumentException("a rebuild writes with INSERT, UPDATE or DELETE, not: " + sql);
        }
        return matcher.group(1).toLowerCase(Locale.ROOT);
    }

    /** Forgets queued writes (the transaction they belonged to rolled back). */
    void discard() {
        pending.clear();
    }
}
