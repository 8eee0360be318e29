package io.amply.query.readmodel;

import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends a read model's queued writes as JDBC batches: table by table (read-model tables do not
 * refer to one another, so writes to different tables commute), each table's writes in their
 * original order, consecutive writes of the same SQL as one batch. An upsert that updates may not
 * meet one row twice in a multi-row INSERT (PostgreSQL refuses), so a run of them is cut into
 * batches of distinct keys, counters aimed at the same row first merged into one write; an upsert
 * whose shape is not understood goes one by one. Used by rebuilds ({@link ReplayJdbc}) and by the
 * live processors ({@link BatchingJdbc}).
 */
final class WriteBatches {

    record Pending(String sql, Object[] args) {
    }

    /** How the batches reach the database, past any queueing of the caller. */
    interface Sender {
        void batch(String sql, List<Object[]> args);

        void one(String sql, Object[] args);

        /** Straight to {@code dataSource}, in the transaction the caller's connection is in. */
        static Sender to(DataSource dataSource) {
            JdbcTemplate plain = new JdbcTemplate(dataSource);
            return new Sender() {
                @Override
                public void batch(String sql, List<Object[]> args) {
                    plain.batchUpdate(sql, args);
                }

                @Override
                public void one(String sql, Object[] args) {
                    plain.update(sql, args);
                }
            };
        }
    }

    private static final Pattern WRITTEN_TABLE = Pattern.compile("^\\s*(?:INSERT\\s+INTO|UPDATE|DELETE\\s+FROM)\\s+(\\w+)",
            Pattern.CASE_INSENSITIVE);

    private static final Pattern DO_UPDATE = Pattern.compile("\\bDO\\s+UPDATE\\b", Pattern.CASE_INSENSITIVE);

    private final Map<String, Optional<UpsertShape>> shapes = new ConcurrentHashMap<>();

    void send(List<Pending> writes, Sender sender) {
        Map<String, List<Pending>> byTable = new LinkedHashMap<>();
        for (Pending write : writes) {
            byTable.computeIfAbsent(table(write.sql()), t -> new ArrayList<>()).add(write);
        }
        for (List<Pending> tableWrites : byTable.values()) {
            int start = 0;
            while (start < tableWrites.size()) {
                String sql = tableWrites.get(start).sql();
                int end = start;
                List<Object[]> run = new ArrayList<>();
                while (end < tableWrites.size() && tableWrites.get(end).sql().equals(sql)) {
                    run.add(tableWrites.get(end).args());
                    end++;
                }
                if (DO_UPDATE.matcher(sql).find()) {
                    upsert(sql, run, sender);
                } else {
                    sender.batch(sql, run);
                }
                start = end;
            }
        }
    }

    private void upsert(String sql, List<Object[]> run, Sender sender) {
        UpsertShape shape = shapes.computeIfAbsent(sql, s -> Optional.ofNullable(UpsertShape.of(s))).orElse(null);
        if (shape == null) {
            run.forEach(args -> sender.one(sql, args));
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
                sender.batch(sql, new ArrayList<>(batch.values()));
                batch.clear();
                batch.put(key, args);
            }
        }
        sender.batch(sql, new ArrayList<>(batch.values()));
    }

    static String table(String sql) {
        Matcher matcher = WRITTEN_TABLE.matcher(sql);
        if (!matcher.find()) {
            throw new IllegalArgumentException("a read model writes with INSERT, UPDATE or DELETE, not: " + sql);
        }
        return matcher.group(1).toLowerCase(Locale.ROOT);
    }
}
