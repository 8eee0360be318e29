package io.amply.query.ledger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariDataSource;
import io.amply.db.TenantContext;
import io.amply.ledger.hash.LedgerTime;
import io.amply.query.DerivedIds;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ledger benchmarks (docs/benchmarks.md), against a running local system:
 * <ul>
 *   <li>{@code append}: appends entries through the ledger's own writer (hashing, chaining, one
 *   multi-row INSERT per batch with the chain trigger, the head update), in batches, for one hot
 *   organisation or several;</li>
 *   <li>{@code pages}: times public ledger pages of 50 at several depths of one organisation's chain.</li>
 * </ul>
 * Run with the query side's test classpath: {@code java -cp <cp> io.amply.query.ledger.LedgerBench append
 * --jdbc=… --password=… --entries=1000000 --batch=1000 --organisations=1 [--threads=2] [--warmup=50000]}.
 */
public final class LedgerBench {

    private LedgerBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (String arg : Arrays.copyOfRange(args, 1, args.length)) {
            String[] kv = arg.replaceFirst("^--", "").split("=", 2);
            options.put(kv[0], kv.length > 1 ? kv[1] : "true");
        }
        if (args[0].equals("append")) {
            append(options);
        } else {
            pages(options);
        }
    }

    private static void append(Map<String, String> options) throws InterruptedException {
        int entries = Integer.parseInt(options.getOrDefault("entries", "1000000"));
        int batch = Integer.parseInt(options.getOrDefault("batch", "1000"));
        int organisations = Integer.parseInt(options.getOrDefault("organisations", "1"));
        int threads = Integer.parseInt(options.getOrDefault("threads", "1"));
        if (organisations % threads != 0 && threads > 1) {
            throw new IllegalArgumentException("organisations must be a multiple of threads (one writer per chain)");
        }
        try (HikariDataSource dataSource = new HikariDataSource()) {
            dataSource.setJdbcUrl(options.get("jdbc"));
            dataSource.setUsername(options.getOrDefault("user", "amply_app"));
            dataSource.setPassword(options.get("password"));
            JdbcTemplate jdbc = new JdbcTemplate(dataSource);
            TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
            LedgerWriter writer = new LedgerWriter(jdbc);
            ObjectMapper json = new ObjectMapper();
            String run = Long.toString(System.currentTimeMillis(), 36);
            List<String> orgs = new ArrayList<>();
            for (int o = 0; o < organisations; o++) {
                String org = DerivedIds.of("org_", "bench/" + run + "/" + o);
                orgs.add(org);
                transactions.executeWithoutResult(tx -> {
                    jdbc.query(TenantContext.SET_ORGANISATION, rs -> null, org);
                    jdbc.update("""
                            INSERT INTO organisations (id, name, country, status, default_visibility, created_at, updated_at)
                            VALUES (?, 'Ledger bench', 'GB', 'verified', 'public_full', now(), now())""", org);
                    jdbc.update("INSERT INTO resource_owners (id, organisation_id) VALUES (?, ?)", org, org);
                });
            }
            Appender appender = new Appender(run, orgs, batch, threads, json, transactions, writer);
            // A cold JVM compiles the writer's code while it runs; the projector is a long-running
            // service, so --warmup appends that many entries to the same chains before timing.
            int warmup = Integer.parseInt(options.getOrDefault("warmup", "0"));
            if (warmup > 0) {
                System.out.printf("warm-up: %,d entries, %.1f s (not counted)%n", warmup, appender.append(0, warmup));
            }
            double seconds = appender.append(warmup, entries);
            System.out.printf("appended %,d entries for %d organisation(s) in batches of %d, %d writer(s): %.1f s, %,.0f entries/s%n",
                    entries, organisations, batch, threads, seconds, entries / seconds);
            System.out.println("organisations: " + String.join(",", orgs));
        }
    }

    /** Appends numbered entries, batch b of them to organisation b % organisations; returns the seconds taken. */
    private record Appender(String run, List<String> orgs, int batch, int threads, ObjectMapper json,
                            TransactionTemplate transactions, LedgerWriter writer) {

        double append(int first, int entries) throws InterruptedException {
            Instant start = Instant.parse("2026-01-01T00:00:00Z");
            int organisations = orgs.size();
            AtomicInteger next = new AtomicInteger();
            AtomicInteger done = new AtomicInteger();
            int batches = (entries + batch - 1) / batch;
            long begun = System.nanoTime();
            // each thread takes whole batches; batch b belongs to organisation b % organisations, and
            // one organisation's batches must be appended in order, so a thread owns its organisations
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int worker = t;
                workers.add(new Thread(() -> {
                    for (int b = worker; b < batches; b += threads) {
                        String org = orgs.get(b % organisations);
                        List<EntryDraft> drafts = new ArrayList<>(batch);
                        for (int i = 0; i < batch && b * batch + i < entries; i++) {
                            int n = first + b * batch + i;
                            ObjectNode metadata = json.createObjectNode();
                            metadata.put("donation_id", DerivedIds.of("don_", run + "/" + n));
                            metadata.put("fund_id", DerivedIds.of("fund_", run + "/" + org));
                            metadata.put("payment_method", "card");
                            drafts.add(new EntryDraft(DerivedIds.of("led_", run + "/" + n), org, "donation_received", 1_000 + n % 9_000,
                                    "EUR", "public_full", metadata, LedgerTime.format(start.plusMillis(n)), "bench-" + run + "-" + n, 0, null));
                        }
                        transactions.executeWithoutResult(tx -> writer.append(drafts));
                        int total = done.addAndGet(drafts.size());
                        if (next.incrementAndGet() % 100 == 0) {
                            System.out.printf("%,d entries, %,.0f entries/s so far%n", total, total / ((System.nanoTime() - begun) / 1e9));
                        }
                    }
                }));
            }
            workers.forEach(Thread::start);
            for (Thread w : workers) {
                w.join();
            }
            return (System.nanoTime() - begun) / 1e9;
        }
    }

    /**
     * Pages of 50 after several depths, each timed end to end over HTTP on this host and, with
     * {@code --access-log=FILE}, as the server timed it: the query side's Tomcat access log with
     * the elapsed time in microseconds last on each line (docs/benchmarks.md has the settings).
     */
    private static void pages(Map<String, String> options) throws Exception {
        String base = options.get("query-url");
        String org = options.get("organisation");
        long length = Long.parseLong(options.get("length"));
        int requests = Integer.parseInt(options.getOrDefault("requests", "200"));
        Path accessLog = options.containsKey("access-log") ? Path.of(options.get("access-log")) : null;
        HttpClient http = HttpClient.newHttpClient();
        for (long depth : new long[]{0, length / 100, length / 2, length - 100}) {
            long[] micros = new long[requests];
            long logStart = 0;
            for (int i = -20; i < requests; i++) { // 20 warm-up requests
                if (i == 0 && accessLog != null) {
                    logStart = Files.size(accessLog);
                }
                long after = depth + (i < 0 ? 0 : i % 50);
                String cursor = Base64.getUrlEncoder().withoutPadding().encodeToString(("s:" + after).getBytes(StandardCharsets.US_ASCII));
                URI uri = URI.create(base + "/v1/public/organisations/" + org + "/ledger?limit=50" + (after == 0 ? "" : "&cursor=" + cursor));
                long t0 = System.nanoTime();
                HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
                long t1 = System.nanoTime();
                if (response.statusCode() != 200) {
                    throw new IllegalStateException(uri + " → " + response.statusCode());
                }
                if (i >= 0) {
                    micros[i] = (t1 - t0) / 1_000;
                }
            }
            System.out.printf("page of 50 after sequence %,d: client %s%s (%d requests)%n", depth, percentiles(micros),
                    accessLog == null ? "" : ", server " + percentiles(serverMicros(accessLog, logStart, org, requests)), requests);
        }
    }

    private static String percentiles(long[] micros) {
        long[] sorted = micros.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return String.format("p50 %.1f ms, p99 %.1f ms, max %.1f ms", sorted[n / 2] / 1000.0,
                sorted[(int) Math.ceil(n * 0.99) - 1] / 1000.0, sorted[n - 1] / 1000.0);
    }

    /** The server's own times of the ledger pages logged after {@code from}; waits for all of them to be written. */
    private static long[] serverMicros(Path accessLog, long from, String org, int expected) throws Exception {
        String path = "/v1/public/organisations/" + org + "/ledger";
        for (int attempt = 0; ; attempt++) {
            List<Long> times = new ArrayList<>();
            try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(accessLog.toFile(), "r")) {
                file.seek(from);
                byte[] rest = new byte[(int) (file.length() - from)];
                file.readFully(rest);
                for (String line : new String(rest, StandardCharsets.UTF_8).split("\n")) {
                    if (line.contains(path)) {
                        times.add(Long.parseLong(line.substring(line.lastIndexOf(' ') + 1).trim()));
                    }
                }
            }
            if (times.size() >= expected || attempt == 50) {
                if (times.size() < expected) {
                    throw new IllegalStateException("the access log has " + times.size() + " of " + expected + " requests");
                }
                // a line is written once its response is sent, so the last warm-up request's may come after the mark
                return times.subList(times.size() - expected, times.size()).stream().mapToLong(Long::longValue).toArray();
            }
            Thread.sleep(100);
        }
    }
}
