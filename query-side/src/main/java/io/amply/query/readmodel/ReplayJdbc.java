package io.amply.query.readmodel;

import io.amply.db.TenantContext;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.ResultSetExtractor;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

    private final List<Pending> pending = new ArrayList<>();

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
                // an upsert that updates may meet its own row twice in one multi-row INSERT, which
                // PostgreSQL refuses: those go one by one
                if (sql.contains("DO UPDATE")) {
                    super.update(sql, writes.get(start).args());
                    start++;
                    continue;
                }
                int end = start;
                List<Object[]> batch = new ArrayList<>();
                while (end < writes.size() && writes.get(end).sql().equals(sql)) {
                    batch.add(writes.get(end).args());
                    end++;
                }
                super.batchUpdate(sql, batch);
                start = end;
            }
        }
        pending.clear();
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
