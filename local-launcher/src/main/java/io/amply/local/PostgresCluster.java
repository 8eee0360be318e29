package io.amply.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A real PostgreSQL 15 primary and a streaming hot-standby replica, from zonky's embedded
 * binaries (initdb, pg_ctl and postgres only). The replica is cloned with the low-level backup
 * API (pg_backup_start / copy / pg_backup_stop) and streams through a physical replication
 * slot. Data directories survive a restart unless the caller wipes them.
 */
public final class PostgresCluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PostgresCluster.class);
    private static final String SLOT = "amply_replica";
    private static final Set<String> NOT_COPIED = Set.of("postmaster.pid", "postmaster.opts", "epg-lock");

    private final EmbeddedPostgres primary;
    private final EmbeddedPostgres replica;
    private final Path primaryDir;

    private PostgresCluster(EmbeddedPostgres primary, EmbeddedPostgres replica, Path primaryDir) {
        this.primary = primary;
        this.replica = replica;
        this.primaryDir = primaryDir;
    }

    /**
     * @param durable fsync and synchronous_commit on (the local run, benchmarks); off for tests
     */
    public static PostgresCluster start(Path dataDirectory, int primaryPort, int replicaPort, boolean durable)
            throws IOException, SQLException {
        Path primaryDir = dataDirectory.resolve("primary");
        Path replicaDir = dataDirectory.resolve("replica");
        Files.createDirectories(dataDirectory);
        EmbeddedPostgres primary = configure(primaryDir, primaryPort, durable, true).start();
        try {
            if (!Files.exists(replicaDir.resolve("standby.signal"))) {
                deleteRecursively(replicaDir);
                cloneForStandby(primary, primaryDir, replicaDir, primaryPort);
            }
            EmbeddedPostgres replica = configure(replicaDir, replicaPort, durable, false).start();
            log.info("PostgreSQL primary on port {}, streaming replica on port {}", primaryPort, replicaPort);
            return new PostgresCluster(primary, replica, primaryDir);
        } catch (IOException | SQLException | RuntimeException e) {
            closeQuietly(primary);
            throw e;
        }
    }

    /** The seed's parameter group, plus what streaming replication needs. */
    static Map<String, String> serverSettings(boolean durable) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("max_connections", "200");
        // the ledger's random-keyed indexes outgrow 256MB quickly; with it the backends wrote their
        // own dirty pages (pg_stat_bgwriter.buffers_backend) during a long append (docs/database.md)
        settings.put("shared_buffers", "1GB");
        settings.put("work_mem", "16MB");
        settings.put("maintenance_work_mem", "128MB");
        settings.put("effective_cache_size", "1GB");
        settings.put("checkpoint_completion_target", "0.9");
        // a 1GB max_wal_size forced a checkpoint every few seconds of appending, each one followed by
        // a full-page image of every index page touched again (0.56 per ledger entry; 0.001 with these)
        settings.put("max_wal_size", "4GB");
        settings.put("checkpoint_timeout", "15min");
        // a committing transaction waits up to 1 ms for others to share its WAL flush (only while
        // five or more are open, commit_siblings): still durable, a quarter fewer flushes and
        // ≈ 15 % more donations/s at saturation (docs/benchmarks.md)
        settings.put("commit_delay", "1000");
        // a client that vanished without closing (its host died, the network cut) is noticed after
        // 60 + 6 × 10 s of silence instead of the kernel's two hours; its connection slot is freed
        settings.put("tcp_keepalives_idle", "60");
        settings.put("tcp_keepalives_interval", "10");
        settings.put("tcp_keepalives_count", "6");
        settings.put("random_page_cost", "1.1");
        settings.put("log_statement", "ddl");
        settings.put("log_min_duration_statement", "1000");
        settings.put("timezone", "UTC");
        settings.put("password_encryption", "scram-sha-256");
        settings.put("wal_level", "replica");
        settings.put("max_wal_senders", "10");
        settings.put("max_replication_slots", "10");
        settings.put("wal_keep_size", "256MB");
        // the replica's slot keeps WAL for it while it is away, but not without end: a replica gone for
        // hours would otherwise fill the primary's disk and stop every write (its slot is then "lost",
        // and the replica is made again from a base backup: docs/operations.md)
        settings.put("max_slot_wal_keep_size", "16GB");
        settings.put("hot_standby", "on");
        settings.put("hot_standby_feedback", "on");
        settings.put("fsync", durable ? "on" : "off");
        settings.put("synchronous_commit", durable ? "on" : "off");
        settings.put("full_page_writes", durable ? "on" : "off");
        return settings;
    }

    private static EmbeddedPostgres.Builder configure(Path dir, int port, boolean durable, boolean primary) {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(false)
                .setPort(port)
                // initdb takes its locale from LANG/LC_*, and refuses to start when they name a locale the
                // machine has not generated; C (with zonky's UTF-8 encoding) sorts text by code point,
                // the same on every machine
                .setLocaleConfig("locale", "C")
                // a standby replays the WAL since its last restartpoint before it accepts connections:
                // up to max_wal_size after a long write burst, minutes on a slow disk
                .setPGStartupWait(Duration.ofMinutes(10))
                .setDataDirectoryCustomizer(dataDir -> writeHba(dataDir, primary)); // on every start, the replica's too
        serverSettings(durable).forEach(builder::setServerConfig);
        return builder;
    }

    /**
     * The superuser (postgres) is trusted on loopback, for administration and replication; every
     * application role must authenticate with its password (SCRAM). The replica's roles ({@code amply_analyst},
     * {@code amply_readonly}) read the replica only: the primary refuses them, so that no analyst's query or open
     * transaction, and nothing done with a read-only password that leaked, weighs on the writes.
     */
    private static void writeHba(java.io.File dataDir, boolean primary) {
        String hba = """
                # written by the Amply local launcher
                local   all           postgres                  trust
                host    all           postgres     127.0.0.1/32 trust
                host    all           postgres     ::1/128      trust
                host    replication   postgres     127.0.0.1/32 trust
                host    replication   postgres     ::1/128      trust
                """ + (primary ? """
                host    all           amply_analyst,amply_readonly 127.0.0.1/32 reject
                host    all           amply_analyst,amply_readonly ::1/128      reject
                """ : "") + """
                host    all           all          127.0.0.1/32 scram-sha-256
                host    all           all          ::1/128      scram-sha-256
                """;
        try {
            Files.writeString(dataDir.toPath().resolve("pg_hba.conf"), hba);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void cloneForStandby(EmbeddedPostgres primary, Path primaryDir, Path replicaDir, int primaryPort)
            throws SQLException, IOException {
        try (Connection connection = primary.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_create_physical_replication_slot('" + SLOT + "', true) "
                    + "WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = '" + SLOT + "')");
            // one session holds the backup open while the files are copied
            statement.execute("SELECT pg_backup_start('amply-replica', true)");
            copyDataDirectory(primaryDir, replicaDir);
            String label;
            try (ResultSet rs = statement.executeQuery("SELECT labelfile FROM pg_backup_stop(true)")) {
                rs.next();
                label = rs.getString(1);
            }
            Files.writeString(replicaDir.resolve("backup_label"), label);
        }
        Files.setPosixFilePermissions(replicaDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Files.createFile(replicaDir.resolve("standby.signal"));
        Files.writeString(replicaDir.resolve("postgresql.auto.conf"),
                "primary_conninfo = 'host=127.0.0.1 port=" + primaryPort + " user=postgres application_name=amply_replica'\n"
                        + "primary_slot_name = '" + SLOT + "'\n",
                StandardOpenOption.APPEND);
    }

    private static void copyDataDirectory(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Path relative = from.relativize(dir);
                Files.createDirectories(to.resolve(relative));
                // WAL, replication slots and temporary files are not part of a base backup
                String name = relative.toString();
                if (name.equals("pg_wal") || name.equals("pg_replslot") || name.equals("pg_stat_tmp")) {
                    if (name.equals("pg_wal")) {
                        Files.createDirectories(to.resolve(relative).resolve("archive_status"));
                    }
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (!NOT_COPIED.contains(file.getFileName().toString())) {
                    try {
                        Files.copy(file, to.resolve(from.relativize(file)), StandardCopyOption.COPY_ATTRIBUTES);
                    } catch (java.nio.file.NoSuchFileException vanished) {
                        // a temporary file the running primary removed meanwhile: not needed
                    }
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    public static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    public int primaryPort() {
        return primary.getPort();
    }

    public int replicaPort() {
        return replica.getPort();
    }

    public String primaryUrl(String database) {
        return "jdbc:postgresql://localhost:" + primary.getPort() + "/" + database;
    }

    public String replicaUrl(String database) {
        return "jdbc:postgresql://localhost:" + replica.getPort() + "/" + database;
    }

    /** A superuser connection to the primary, for bootstrap and for tests that must bypass every rule. */
    public Connection superuserOnPrimary(String database) throws SQLException {
        return DriverManager.getConnection(primaryUrl(database), "postgres", "");
    }

    public Connection superuserOnReplica(String database) throws SQLException {
        return DriverManager.getConnection(replicaUrl(database), "postgres", "");
    }

    /** Waits until the replica has replayed everything the primary has written so far (up to the WAL insert position, which covers commits not yet flushed). */
    public void awaitReplicaCaughtUp(Duration timeout) throws SQLException, InterruptedException {
        String target;
        try (Connection connection = superuserOnPrimary("postgres");
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT pg_current_wal_insert_lsn()::text")) {
            rs.next();
            target = rs.getString(1);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Connection connection = superuserOnReplica("postgres")) {
            while (true) {
                try (Statement statement = connection.createStatement();
                     ResultSet rs = statement.executeQuery(
                             "SELECT pg_last_wal_replay_lsn() >= '" + target + "'::pg_lsn")) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("replica did not catch up with " + target + " in " + timeout);
                }
                Thread.sleep(10);
            }
        }
    }

    @Override
    public void close() {
        // the primary first: its shutdown checkpoint reaches the replica, whose own shutdown then
        // makes a restartpoint there, so the next start does not replay the WAL of the whole run
        closeQuietly(primary);
        // the stop command gives up waiting after a few seconds; a durable primary's shutdown
        // checkpoint can take longer, and the replica must not stop before it has been sent
        awaitStopped(primaryDir, Duration.ofMinutes(5));
        closeQuietly(replica);
    }

    private static void awaitStopped(Path dataDir, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (Files.exists(dataDir.resolve("postmaster.pid")) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (Files.exists(dataDir.resolve("postmaster.pid"))) {
            log.warn("PostgreSQL in {} is still shutting down after {}", dataDir, timeout);
        }
    }

    private static void closeQuietly(EmbeddedPostgres postgres) {
        try {
            postgres.close();
        } catch (IOException e) {
            log.warn("could not stop PostgreSQL on port {} cleanly", postgres.getPort(), e);
        }
    }
}
