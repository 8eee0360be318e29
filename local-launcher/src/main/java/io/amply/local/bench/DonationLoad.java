package io.amply.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.OperatingSystemMXBean;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load generator: drives completed donations over HTTP at a running system (./run-local) and
 * measures command latency and how long each donation takes to reach the ledger.
 *
 * <pre>
 * java -cp local-launcher/target/amply-local.jar -Dloader.main=io.amply.local.bench.DonationLoad \
 *      org.springframework.boot.loader.launch.PropertiesLauncher \
 *      --organisations=50 --donations=20000 --rate=0 --concurrency=32 [--warmup=0] [--runs=1] \
 *      [--donors] [--idempotency-keys] [--member-keys] [--connection=.amply/local/connection.json]
 * </pre>
 * {@code --rate=0} sends as fast as {@code --concurrency} allows; otherwise at that many per second.
 * {@code --warmup} donations are sent first and not measured; then {@code --runs} measured runs of
 * {@code --donations} each, all from this one JVM to the same organisations. {@code --donors} gives
 * each donation a donor's name and e-mail, as a donation widget sends them. {@code --idempotency-keys}
 * sends each donation with an {@code Idempotency-Key} of its own, as a client that retries safely does
 * (the service then claims the key before the command and stores the response after it).
 * {@code --member-keys} sends each organisation's donations with the API key of a {@code finance} user
 * of its own, as a charity's integration does, instead of the platform administrator's key, whose
 * requests skip the role check (a round trip, through the organisation's gate).
 * Ledger latency is first-seen minus accepted, observed by polling the chain heads every 20 ms
 * (so it overstates by up to about 20 ms).
 */
public final class DonationLoad {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DonationLoad() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new ConcurrentHashMap<>();
        for (String arg : args) {
            String[] kv = arg.replaceFirst("^--", "").split("=", 2);
            options.put(kv[0], kv.length > 1 ? kv[1] : "true");
        }
        int organisations = Integer.parseInt(options.getOrDefault("organisations", "50"));
        int donations = Integer.parseInt(options.getOrDefault("donations", "10000"));
        int rate = Integer.parseInt(options.getOrDefault("rate", "0"));
        int concurrency = Integer.parseInt(options.getOrDefault("concurrency", "32"));
        JsonNode connection = JSON.readTree(Path.of(options.getOrDefault("connection", ".amply/local/connection.json")).toFile());
        String api = connection.get("command_api_url").asText();
        String key = connection.get("dev_admin").get("api_key").asText();
        String jdbc = connection.get("postgres").get("primary").get("jdbc_url").asText();
        String adminPassword = connection.get("postgres").get("roles").get("amply_admin").get("password").asText();

        int warmup = Integer.parseInt(options.getOrDefault("warmup", "0"));
        int runs = Integer.parseInt(options.getOrDefault("runs", "1"));
        boolean donors = Boolean.parseBoolean(options.getOrDefault("donors", "false"));
        // unique across runs and generator JVMs: a key is kept 24 hours per user
        String keyPrefix = Boolean.parseBoolean(options.getOrDefault("idempotency-keys", "false"))
                ? "load-" + Long.toString(System.currentTimeMillis(), 36) + "-" : null;

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<String[]> orgs = new ArrayList<>();
        for (int i = 0; i < organisations; i++) {
            JsonNode org = CONNECTIONS.get().post(api + "/organisations", key, "{\"name\": \"Load " + i + "\", \"country\": \"GB\", \"currency\": \"GBP\"}");
            orgs.add(new String[]{org.get("id").asText(), org.get("funds").get(0).get("id").asText()});
        }
        if (Boolean.parseBoolean(options.getOrDefault("member-keys", "false"))) {
            String load = Long.toString(System.currentTimeMillis(), 36);
            for (int i = 0; i < orgs.size(); i++) {
                String[] org = orgs.get(i);
                String userId = CONNECTIONS.get().post(api + "/users", key, """
                        {"email": "load-%s-%d@example.org", "name": "Load finance %d"}""".formatted(load, i, i)).get("id").asText();
                String memberKey = CONNECTIONS.get().post(api + "/users/" + userId + "/api-keys", key, "{}").get("api_key").asText();
                CONNECTIONS.get().post(api + "/organisations/" + org[0] + "/memberships", key, """
                        {"user_id": "%s", "role": "finance"}""".formatted(userId));
                orgs.set(i, new String[]{org[0], org[1], memberKey});
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        URI prometheus = URI.create(connection.get("query_management_url").asText() + "/prometheus");
        // the warm-up runs in this JVM too: both the system's and this generator's JIT settle before
        // anything is measured (a JVM this size compiles for tens of thousands of donations)
        if (warmup > 0) {
            Run run = new Run(api, key, orgs, warmup, rate, concurrency, donors, keyPrefix == null ? null : keyPrefix + "w-", pool);
            run.send();
            System.out.printf("warm-up: %d donations, accepted/s=%.0f, failures=%d%n", warmup,
                    run.accepted() / run.sendSeconds(), run.failures.get());
        }
        for (int r = 1; r <= runs; r++) {
            Map<String, Double> ledgerTimerBefore = ledgerTimer(http, prometheus);
            Run run = new Run(api, key, orgs, donations, rate, concurrency, donors, keyPrefix == null ? null : keyPrefix + r + "-", pool);
            Thread watcher = new Thread(() -> watchLedger(jdbc, adminPassword, orgs, run), "ledger-watcher");
            watcher.setDaemon(true);
            watcher.start();
            run.watching.await();
            run.send();
            run.awaitLedger(TimeUnit.SECONDS.toNanos(120));
            run.report(runs > 1 ? "run " + r + ": " : "", organisations, ledgerTimerBefore, ledgerTimer(http, prometheus));
            run.stopped = true;
            watcher.join();
        }
        System.exit(0);
    }

    /** One measured batch of donations: when each was accepted and first seen in the ledger. */
    private static final class Run {
        final String api;
        final String key;
        final List<String[]> orgs;
        final int donations;
        final int rate;
        final int concurrency;
        final boolean donors;
        final String idempotencyKeys;
        final ExecutorService pool;
        final Map<String, Long> acceptedAt;
        final Map<String, Long> ledgerAt;
        final long[] commandMicros;
        final AtomicLong failures = new AtomicLong();
        final CountDownLatch watching = new CountDownLatch(1);
        volatile boolean stopped;
        long start;
        long sent;
        long generatorCpu;
        long allInLedger;

        /** {@code idempotencyKeys}: each donation's key is this and its number; null sends none. */
        Run(String api, String key, List<String[]> orgs, int donations, int rate, int concurrency, boolean donors,
            String idempotencyKeys, ExecutorService pool) {
            this.api = api;
            this.donors = donors;
            this.idempotencyKeys = idempotencyKeys;
            this.key = key;
            this.orgs = orgs;
            this.donations = donations;
            this.rate = rate;
            this.concurrency = concurrency;
            this.pool = pool;
            this.acceptedAt = new ConcurrentHashMap<>(donations * 2);
            this.ledgerAt = new ConcurrentHashMap<>(donations * 2);
            this.commandMicros = new long[donations];
        }

        void send() throws InterruptedException {
            Semaphore inFlight = new Semaphore(concurrency);
            CountDownLatch done = new CountDownLatch(donations);
            long cpuBefore = ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
            start = System.nanoTime();
            for (int i = 0; i < donations; i++) {
                if (rate > 0) {
                    long due = start + (long) (i * 1e9 / rate);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
                inFlight.acquire();
                String[] org = orgs.get(i % orgs.size());
                int n = i;
                pool.execute(() -> {
                    try {
                        long t0 = System.nanoTime();
                        String donor = donors ? """
                                , "donor": {"name": "Donor %d", "email": "donor%d@example.org"}""".formatted(n, n) : "";
                        // the organisation's own finance user's key with --member-keys, else the admin's
                        JsonNode donation = CONNECTIONS.get().post(api + "/donations", org.length > 2 ? org[2] : key, """
                                {"organisation_id": "%s", "fund_id": "%s", "amount": %d, "currency": "GBP",
                                 "payment": {"method": "bank_transfer", "reference": "LOAD %d", "fee_amount": 10, "fee_charged_by": "bank"}%s}"""
                                .formatted(org[0], org[1], 1000 + n, n, donor), idempotencyKeys == null ? null : idempotencyKeys + n);
                        long t1 = System.nanoTime();
                        commandMicros[n] = (t1 - t0) / 1000;
                        acceptedAt.put(donation.get("id").asText(), t1);
                    } catch (Exception e) {
                        failures.incrementAndGet();
                        commandMicros[n] = -1;
                    } finally {
                        inFlight.release();
                        done.countDown();
                    }
                });
            }
            done.await();
            sent = System.nanoTime();
            generatorCpu = ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() - cpuBefore;
        }

        long accepted() {
            return acceptedAt.size();
        }

        double sendSeconds() {
            return (sent - start) / 1e9;
        }

        void awaitLedger(long timeoutNanos) throws InterruptedException {
            long deadline = System.nanoTime() + timeoutNanos;
            while (!ledgerAt.keySet().containsAll(acceptedAt.keySet()) && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(50);
            }
            allInLedger = ledgerAt.values().stream().mapToLong(Long::longValue).max().orElse(sent);
        }

        void report(String prefix, int organisations, Map<String, Double> ledgerTimerBefore, Map<String, Double> ledgerTimerAfter) {
            long[] ok = Arrays.stream(commandMicros).filter(v -> v >= 0).sorted().toArray();
            long[] toLedger = acceptedAt.entrySet().stream().filter(e -> ledgerAt.containsKey(e.getKey()))
                    .mapToLong(e -> Math.max(0, ledgerAt.get(e.getKey()) - e.getValue()) / 1000).sorted().toArray();
            double endToEndSeconds = (Math.max(allInLedger, sent) - start) / 1e9;
            System.out.printf("%sorganisations=%d donations=%d rate=%s concurrency=%d failures=%d%n", prefix, organisations,
                    donations, rate == 0 ? "max" : rate, concurrency, failures.get());
            System.out.printf("accepted/s=%.0f  end-to-end (accepted -> in ledger) donations/s=%.0f  not in ledger=%d%n",
                    ok.length / sendSeconds(), toLedger.length / endToEndSeconds, acceptedAt.size() - toLedger.length);
            System.out.printf("command latency ms: p50=%.1f p95=%.1f p99=%.1f max=%.1f%n", pct(ok, 50), pct(ok, 95), pct(ok, 99),
                    ok.length == 0 ? 0 : ok[ok.length - 1] / 1000.0);
            System.out.printf("accepted -> ledger ms: p50=%.1f p95=%.1f p99=%.1f max=%.1f%n", pct(toLedger, 50), pct(toLedger, 95),
                    pct(toLedger, 99), toLedger.length == 0 ? 0 : toLedger[toLedger.length - 1] / 1000.0);
            double events = ledgerTimerAfter.getOrDefault("count", 0.0) - ledgerTimerBefore.getOrDefault("count", 0.0);
            StringBuilder within = new StringBuilder();
            for (String bound : List.of("0.1", "0.25", "0.5", "1.0")) {
                double count = ledgerTimerAfter.getOrDefault(bound, 0.0) - ledgerTimerBefore.getOrDefault(bound, 0.0);
                within.append(String.format(" %s s: %.2f %%", bound, events == 0 ? 0 : 100 * count / events));
            }
            System.out.printf("ledger's own timer (event -> entries written), %.0f events, within:%s%n", events, within);
            // the generator shares the machine: what it used while sending is CPU the system did not have
            System.out.printf("generator CPU while sending: %.2f ms per donation (%.2f cores)%n",
                    generatorCpu / 1e6 / donations, generatorCpu / (double) (sent - start));
        }
    }

    /**
     * The query side's amply.ledger.append.delay buckets: cumulative counts by upper bound (seconds)
     * and "count". The ledger records, for every money event, the time from the event to its entries
     * being written, measured where it happens rather than by this process polling the database (the
     * two disagreed in the tail, docs/benchmarks.md).
     */
    private static Map<String, Double> ledgerTimer(HttpClient http, URI prometheus) throws Exception {
        Map<String, Double> counts = new HashMap<>();
        String text = http.send(HttpRequest.newBuilder(prometheus).build(), HttpResponse.BodyHandlers.ofString()).body();
        for (String line : text.split("\n")) {
            if (line.startsWith("amply_ledger_append_delay_seconds_bucket{le=\"")) {
                String bound = line.substring(line.indexOf('"') + 1, line.indexOf('"', line.indexOf('"') + 1));
                counts.put(bound, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            } else if (line.startsWith("amply_ledger_append_delay_seconds_count")) {
                counts.put("count", Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        return counts;
    }

    private static double pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1000.0;
    }

    /** One keep-alive connection per sending thread. */
    private static final ThreadLocal<Http11> CONNECTIONS = ThreadLocal.withInitial(Http11::new);

    /**
     * A minimal HTTP/1.1 client, one persistent connection per thread: the JDK's HttpClient used a
     * quarter of the machine's CPU at saturation (≈ 4 ms per donation), CPU the system under test then
     * did not have. Enough for this API's answers (Content-Length or chunked bodies).
     */
    private static final class Http11 {
        private Socket socket;
        private BufferedInputStream in;
        private OutputStream out;

        JsonNode post(String url, String key, String body) throws Exception {
            return post(url, key, body, null);
        }

        JsonNode post(String url, String key, String body, String idempotencyKey) throws Exception {
            URI uri = URI.create(url);
            try {
                if (socket == null) {
                    socket = new Socket(uri.getHost(), uri.getPort());
                    socket.setTcpNoDelay(true);
                    in = new BufferedInputStream(socket.getInputStream(), 16384);
                    out = new BufferedOutputStream(socket.getOutputStream(), 8192);
                }
                byte[] payload = body.getBytes(StandardCharsets.UTF_8);
                out.write(("POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                        + "\r\nContent-Type: application/json\r\nAuthorization: Bearer " + key
                        + (idempotencyKey == null ? "" : "\r\nIdempotency-Key: " + idempotencyKey)
                        + "\r\nContent-Length: " + payload.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(payload);
                out.flush();
                String status = line();
                if (status == null) {
                    throw new EOFException("connection closed");
                }
                int code = Integer.parseInt(status.split(" ")[1]);
                long length = -1;
                boolean chunked = false;
                boolean close = false;
                for (String header = line(); header != null && !header.isEmpty(); header = line()) {
                    String lower = header.toLowerCase(Locale.ROOT);
                    if (lower.startsWith("content-length:")) {
                        length = Long.parseLong(lower.substring(15).trim());
                    } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                        chunked = true;
                    } else if (lower.startsWith("connection:") && lower.contains("close")) {
                        close = true;
                    }
                }
                ByteArrayOutputStream response = new ByteArrayOutputStream();
                if (chunked) {
                    for (long size = Long.parseLong(line().split(";")[0].trim(), 16); size > 0;
                         size = Long.parseLong(line().split(";")[0].trim(), 16)) {
                        response.write(in.readNBytes((int) size));
                        line();
                    }
                    line();
                } else if (length >= 0) {
                    response.write(in.readNBytes((int) length));
                }
                if (close) {
                    socket.close();
                    socket = null;
                }
                String text = response.toString(StandardCharsets.UTF_8);
                if (code / 100 != 2) {
                    throw new IllegalStateException(code + " " + text);
                }
                return JSON.readTree(text).get("data");
            } catch (IOException e) {
                // not sent again: the donation may have been recorded (counted as a failure)
                if (socket != null) {
                    socket.close();
                }
                socket = null;
                throw e;
            }
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != -1; c = in.read()) {
                if (c == '\n') {
                    int end = line.length();
                    return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
                }
                line.append((char) c);
            }
            return line.length() == 0 ? null : line.toString();
        }
    }

    /**
     * Watches the chain heads (one cheap query for all organisations) and reads only the new
     * entries of chains that moved, noting when each of the run's donations first appears. Starts
     * from the heads as they are when the run begins.
     */
    private static void watchLedger(String jdbc, String adminPassword, List<String[]> orgs, Run run) {
        Map<String, Long> after = new HashMap<>();
        orgs.forEach(org -> after.put(org[0], 0L));
        try (Connection connection = DriverManager.getConnection(jdbc, "amply_admin", adminPassword)) {
            connection.setAutoCommit(false);
            PreparedStatement heads = connection.prepareStatement("SELECT organisation_id, sequence FROM ledger_heads");
            PreparedStatement context = connection.prepareStatement("SELECT amply_set_org(?)");
            PreparedStatement query = connection.prepareStatement("""
                    SELECT sequence, metadata ->> 'donation_id', type FROM ledger_entries
                     WHERE organisation_id = ? AND sequence > ? ORDER BY sequence""");
            try (ResultSet rs = heads.executeQuery()) {
                while (rs.next()) {
                    if (after.containsKey(rs.getString(1))) {
                        after.put(rs.getString(1), rs.getLong(2));
                    }
                }
            }
            connection.commit();
            run.watching.countDown();
            while (!run.stopped) {
                List<String> moved = new ArrayList<>();
                try (ResultSet rs = heads.executeQuery()) {
                    while (rs.next()) {
                        Long known = after.get(rs.getString(1));
                        if (known != null && rs.getLong(2) > known) {
                            moved.add(rs.getString(1));
                        }
                    }
                }
                long now = System.nanoTime();
                for (String organisation : moved) {
                    context.setString(1, organisation);
                    context.execute();
                    query.setString(1, organisation);
                    query.setLong(2, after.get(organisation));
                    try (ResultSet rs = query.executeQuery()) {
                        while (rs.next()) {
                            after.put(organisation, rs.getLong(1));
                            if ("donation_received".equals(rs.getString(3))) {
                                run.ledgerAt.putIfAbsent(rs.getString(2), now);
                            }
                        }
                    }
                }
                connection.commit();
                TimeUnit.MILLISECONDS.sleep(20);
            }
        } catch (Exception e) {
            System.err.println("ledger watcher stopped: " + e);
        } finally {
            run.watching.countDown();
        }
    }
}
