package io.amply.local;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.amply.command.CommandSideApplication;
import io.amply.db.DatabaseSettings;
import io.amply.query.QuerySideApplication;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * The integration tests' infrastructure: a real PostgreSQL 15 primary + streaming replica and a
 * real Kafka broker, started once per test run (this JVM) and shared by every test class, with
 * the schema migrated. Both sides start on first use of {@link #apps()}. Each test works in its
 * own organisations, so tests do not interfere.
 */
final class TestStack {

    static final LocalSecrets SECRETS = new LocalSecrets("admin-test-pw", "app-test-pw", "readonly-test-pw",
            "analyst-test-pw", "sk_test_devadmin_0123456789", "whsec_test_secret");

    private static TestStack instance;

    final PostgresCluster postgres;
    volatile KafkaBroker kafka;
    private Path kafkaDirectory;
    private int kafkaPort;
    private int kafkaControllerPort;
    final DatabaseSettings database;
    private Apps apps;
    SigningKeyFiles keys;
    Path exportDirectory;
    /** The query side's second export target, beside the export directory (S3ExportIT). */
    FakeS3 s3;
    /** Stripe's API, which the command side asks for a payment's fee (StripeWebhookIT). */
    FakeStripe stripe;

    /** The two services, their public APIs and their operators' endpoints ({@code …/actuator}, a port of their own). */
    record Apps(ConfigurableApplicationContext command, ConfigurableApplicationContext query, String commandUrl,
                String queryUrl, String commandManagementUrl, String queryManagementUrl) {
    }

    /** The command side's lock_timeout in the tests (production: 5s). */
    static final String LOCK_TIMEOUT = "10s";
    /** The query side's {@code amply.replica.statement-timeout} here, in seconds (production: 15), so that ReplicaIT crosses it quickly. */
    static final int REPLICA_STATEMENT_TIMEOUT_SECONDS = 5;
    /**
     * The request limits of every service the tests start (a system property, so the extra nodes some tests start
     * have them too): all tests send from one address, most with one key, so a production-sized bucket would
     * refuse some; RateLimitsIT starts a node with a small one.
     */
    static final String RATE_LIMIT_BURST = "1000000";

    private TestStack(PostgresCluster postgres, KafkaBroker kafka, DatabaseSettings database) {
        this.postgres = postgres;
        this.kafka = kafka;
        this.database = database;
    }

    static synchronized TestStack get() {
        if (instance == null) {
            System.setProperty("axoniq.update-checker.disabled", "true");
            System.setProperty("amply.api.rate-limit.burst", RATE_LIMIT_BURST);
            System.setProperty("amply.api.rate-limit.per-second", RATE_LIMIT_BURST);
            // a reread's token comes back after a minute, not 6 s: StripeWebhookIT's eleventh reread in a row is refused
            // however slowly the ten before it ran
            System.setProperty("amply.stripe.reread.per-minute", "1");
            try {
                Path dir = Files.createTempDirectory("amply-it-");
                PostgresCluster postgres = PostgresCluster.start(dir.resolve("postgres"), freePort(), freePort(), false);
                int kafkaPort = freePort();
                int controllerPort = freePort();
                KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"), kafkaPort, controllerPort);
                DatabaseSettings database = AmplyDatabase.prepare(postgres, SECRETS);
                TestStack stack = new TestStack(postgres, kafka, database);
                stack.kafkaDirectory = dir.resolve("kafka");
                stack.kafkaPort = kafkaPort;
                stack.kafkaControllerPort = controllerPort;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    stack.closeApps();
                    stack.kafka.close();
                    postgres.close();
                    try {
                        PostgresCluster.deleteRecursively(dir);
                    } catch (IOException ignored) {
                        // temporary files; the OS cleans up
                    }
                }, "amply-test-stack-stop"));
                instance = stack;
            } catch (IOException | SQLException e) {
                throw new IllegalStateException("could not start the test infrastructure", e);
            }
        }
        return instance;
    }

    synchronized Apps apps() {
        if (apps == null) {
            int commandPort = freePort();
            int queryPort = freePort();
            int commandManagementPort = freePort();
            int queryManagementPort = freePort();
            LocalSecrets secrets = SECRETS;
            s3 = FakeS3.start();
            stripe = FakeStripe.start();
            ConfigurableApplicationContext command = CommandSideApplication.application().registerShutdownHook(false)
                    .run(AmplyLocal.concat(AmplyLocal.concat(AmplyLocal.sideArguments(commandPort, commandManagementPort, postgres,
                                    kafka, secrets), stripe.arguments()),
                            // tests that hold a lock on purpose, and wait for requests to queue behind it, have twice
                            // the production default's margin on a busy machine before a waiter gives up (LockWaitsIT)
                            new String[]{"--amply.db.lock-timeout=" + LOCK_TIMEOUT}));
            ConfigurableApplicationContext query;
            try {
                keys = SigningKeyFiles.ensure(Files.createTempDirectory("amply-keys-"));
                exportDirectory = Files.createTempDirectory("amply-export-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            query = QuerySideApplication.application().registerShutdownHook(false)
                    .run(AmplyLocal.concat(AmplyLocal.sideArguments(queryPort, queryManagementPort, postgres, kafka, secrets),
                            AmplyLocal.concat(AmplyLocal.concat(keys.arguments(exportDirectory), s3.arguments()), new String[]{
                                    "--amply.checkpoints.check-interval=PT1S", "--amply.checkpoints.publish-interval=PT0.5S",
                                    // every chain compared with its position often, so that KafkaPublishingIT sees an old head published
                                    "--amply.kafka.ledger-every-chain-interval=PT2S",
                                    // small COPY ranges, so that the verification tests cross them
                                    "--amply.ledger.verification.range=1000",
                                    // a type filter's window and the replica's statement timeout small enough to cross
                                    // in a test (ReadModelsIT, ReplicaIT)
                                    "--amply.ledger.type-filter-window=5", "--amply.replica.statement-timeout=" + REPLICA_STATEMENT_TIMEOUT_SECONDS + "s"})));
            apps = new Apps(command, query, "http://localhost:" + commandPort, "http://localhost:" + queryPort,
                    "http://localhost:" + commandManagementPort + "/actuator", "http://localhost:" + queryManagementPort + "/actuator");
        }
        return apps;
    }

    private synchronized void closeApps() {
        if (apps != null) {
            apps.query().close();
            apps.command().close();
        }
    }

    /** Stops the Kafka broker (the services keep running and must cope). */
    synchronized void stopKafka() {
        kafka.close();
    }

    /** Starts the broker again on the same port and log directory: its topics and records are still there. */
    synchronized void startKafka() {
        try {
            kafka = KafkaBroker.start(kafkaDirectory, kafkaPort, kafkaControllerPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A connection as the application's role on the primary. */
    Connection app() throws SQLException {
        return DriverManager.getConnection(database.jdbcUrl(), "amply_app", SECRETS.appPassword());
    }

    /** A connection as the schema's owner, who is still bound by row-level security (FORCE). */
    Connection owner() throws SQLException {
        return DriverManager.getConnection(database.jdbcUrl(), "amply_admin", SECRETS.adminPassword());
    }

    Connection readonlyOnReplica() throws SQLException {
        return DriverManager.getConnection(postgres.replicaUrl(AmplyDatabase.NAME), "amply_readonly", SECRETS.readonlyPassword());
    }

    /**
     * Lets the application's role create temporary objects, which no role but the owner may since V50 (true), or
     * takes that back (false): for tests of what the database does against them, should a role ever have them again.
     * PostgreSQL checks it at each use, so the grant must last as long as the test uses them.
     */
    void temporaryObjectsForTheApp(boolean allowed) throws SQLException {
        try (Connection superuser = superuser(); java.sql.Statement statement = superuser.createStatement()) {
            statement.execute((allowed ? "GRANT" : "REVOKE") + " TEMPORARY ON DATABASE " + AmplyDatabase.NAME
                    + (allowed ? " TO" : " FROM") + " amply_app");
        }
    }

    /** A connection as the analysts' role on the replica, as docs/analysts.md tells them to connect. */
    Connection analystOnReplica() throws SQLException {
        return DriverManager.getConnection(postgres.replicaUrl(AmplyDatabase.NAME), "amply_analyst", SECRETS.analystPassword());
    }

    /** A superuser: bypasses grants, triggers can be disabled, RLS does not apply. For tampering. */
    Connection superuser() throws SQLException {
        return postgres.superuserOnPrimary(AmplyDatabase.NAME);
    }

    /** A pool of the application's role, as the services use. */
    HikariDataSource appPool(int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(database.jdbcUrl());
        config.setUsername("amply_app");
        config.setPassword(SECRETS.appPassword());
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        return new HikariDataSource(config);
    }

    /** Another command node beside the stack's, on ports of its own, whose sessions go to {@code jdbcUrl} (a proxy, say). */
    ConfigurableApplicationContext commandNode(String jdbcUrl) {
        apps(); // the stack's own nodes first (and its Stripe stand-in)
        return CommandSideApplication.application().registerShutdownHook(false)
                .run(AmplyLocal.concat(nodeArguments("--spring.datasource.url=", jdbcUrl), stripe.arguments()));
    }

    /**
     * Another query node beside the stack's, on ports of its own, whose reads go to the replica at {@code replicaJdbcUrl}
     * (a proxy, say). Its processors share the segments with the stack's query node while it runs, and it exports
     * checkpoints where that node does (it may take the publishing over).
     */
    ConfigurableApplicationContext queryNode(String replicaJdbcUrl) {
        apps(); // the stack's own nodes first (and their signing keys)
        return QuerySideApplication.application().registerShutdownHook(false)
                .run(AmplyLocal.concat(nodeArguments("--amply.replica.datasource.url=", replicaJdbcUrl),
                        AmplyLocal.concat(keys.arguments(exportDirectory), s3.arguments())));
    }

    /** A service's arguments on ports of its own, with the database URL that {@code option} names replaced. */
    private String[] nodeArguments(String option, String jdbcUrl) {
        return java.util.Arrays.stream(AmplyLocal.sideArguments(freePort(), freePort(), postgres, kafka, SECRETS))
                .map(argument -> argument.startsWith(option) ? option + jdbcUrl : argument)
                .toArray(String[]::new);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
