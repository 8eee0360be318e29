package io.amply.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.amply.command.CommandSideApplication;
import io.amply.db.DatabaseSettings;
import io.amply.query.QuerySideApplication;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The whole system on one machine with only a JDK: PostgreSQL 15 primary + streaming replica,
 * a KRaft Kafka broker, and both sides, with migrations applied. Prints how to reach everything
 * and writes it to {@code <data-dir>/connection.json}. Ctrl-C stops it all; the next start
 * reuses the data unless {@code --fresh}. See the README for options.
 */
public final class AmplyLocal {

    private AmplyLocal() {
    }

    public static void main(String[] args) throws Exception {
        LocalOptions options = LocalOptions.parse(args, System.getenv());
        if (options.help()) {
            System.out.println(LocalOptions.USAGE);
            return;
        }
        System.setProperty("axoniq.update-checker.disabled", "true");
        if (options.fresh()) {
            PostgresCluster.deleteRecursively(options.dataDir());
        }
        Files.createDirectories(options.dataDir());
        LocalSecrets secrets = LocalSecrets.loadOrCreate(options.dataDir().resolve("secrets.properties"));

        List<AutoCloseable> running = new ArrayList<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping Amply…");
            for (int i = running.size() - 1; i >= 0; i--) {
                try {
                    running.get(i).close();
                } catch (Exception e) {
                    System.err.println("while stopping: " + e);
                }
            }
            stopped.countDown();
        }, "amply-local-stop"));

        PostgresCluster postgres = PostgresCluster.start(options.dataDir().resolve("postgres"),
                options.primaryPort(), options.replicaPort(), true);
        running.add(postgres);
        KafkaBroker kafka = KafkaBroker.start(options.dataDir().resolve("kafka"), options.kafkaPort(), options.kafkaControllerPort());
        running.add(kafka);
        DatabaseSettings database = AmplyDatabase.prepare(postgres, secrets);

        ConfigurableApplicationContext command = CommandSideApplication.application()
                .registerShutdownHook(false)
                .run(sideArguments(options.commandPort(), options.commandManagementPort(), postgres, kafka, secrets));
        running.add(command);
        SigningKeyFiles keys = SigningKeyFiles.ensure(options.dataDir().resolve("keys"));
        Path exportDirectory = options.dataDir().resolve("export");
        ConfigurableApplicationContext query = QuerySideApplication.application()
                .registerShutdownHook(false)
                .run(concat(sideArguments(options.queryPort(), options.queryManagementPort(), postgres, kafka, secrets),
                        keys.arguments(exportDirectory)));
        running.add(query);

        Map<String, Object> connection = connectionInfo(options, postgres, kafka, database, secrets);
        Path file = options.dataDir().resolve("connection.json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), connection);
        System.out.println();
        System.out.println("Amply is running. Ctrl-C stops it. (written to " + file.toAbsolutePath() + ")");
        System.out.println("  command API     http://localhost:" + options.commandPort() + "/v1");
        System.out.println("  query API       http://localhost:" + options.queryPort() + "/v1   (public ledger, reads from the replica)");
        System.out.println("  operators       http://localhost:" + options.commandManagementPort() + "/actuator , http://localhost:"
                + options.queryManagementPort() + "/actuator   (health, metrics; cross-check, dead letters, rebuilds on the query side)");
        System.out.println("  OpenAPI         http://localhost:" + options.commandPort() + "/v3/api-docs , http://localhost:" + options.queryPort() + "/v3/api-docs");
        System.out.println("  Postgres        primary " + postgres.primaryUrl(AmplyDatabase.NAME) + "   (read-write)");
        System.out.println("                  replica " + postgres.replicaUrl(AmplyDatabase.NAME) + "   (read-only, streaming)");
        System.out.println("                  roles amply_admin / amply_app / amply_readonly / amply_analyst (SQL on the replica), passwords in " + file.getFileName());
        System.out.println("  Kafka           " + kafka.bootstrapServers());
        System.out.println("  checkpoints     signed with key " + keys.keyId() + ", files in " + exportDirectory.toAbsolutePath());
        System.out.println("  dev admin key   Authorization: Bearer " + secrets.devApiKey());
        stopped.await();
    }

    static String[] concat(String[] first, String[] second) {
        String[] all = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    static String[] sideArguments(int port, int managementPort, PostgresCluster postgres, KafkaBroker kafka,
                                  LocalSecrets secrets) {
        return new String[]{
                "--server.port=" + port,
                "--management.server.port=" + managementPort,
                "--spring.datasource.url=" + postgres.primaryUrl(AmplyDatabase.NAME),
                "--spring.datasource.username=amply_app",
                "--spring.datasource.password=" + secrets.appPassword(),
                "--amply.replica.datasource.url=" + postgres.replicaUrl(AmplyDatabase.NAME),
                "--amply.replica.datasource.username=amply_readonly",
                "--amply.replica.datasource.password=" + secrets.readonlyPassword(),
                "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--amply.stripe.webhook-secret=" + secrets.stripeWebhookSecret(),
        };
    }

    private static Map<String, Object> connectionInfo(LocalOptions options, PostgresCluster postgres, KafkaBroker kafka,
                                                      DatabaseSettings database, LocalSecrets secrets) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("http_base_url", "http://localhost:" + options.commandPort() + "/v1");
        info.put("command_api_url", "http://localhost:" + options.commandPort() + "/v1");
        info.put("query_api_url", "http://localhost:" + options.queryPort() + "/v1");
        info.put("command_management_url", "http://localhost:" + options.commandManagementPort() + "/actuator");
        info.put("query_management_url", "http://localhost:" + options.queryManagementPort() + "/actuator");
        Map<String, Object> roles = new LinkedHashMap<>();
        roles.put("amply_admin", Map.of("password", secrets.adminPassword(), "use", "owner; runs migrations"));
        roles.put("amply_app", Map.of("password", secrets.appPassword(), "use", "the services (primary)"));
        roles.put("amply_readonly", Map.of("password", secrets.readonlyPassword(), "use", "the query side's reads (replica)"));
        roles.put("amply_analyst", Map.of("password", secrets.analystPassword(), "use", "analysts' SQL (replica; no notes)"));
        info.put("postgres", Map.of(
                "primary", Map.of("jdbc_url", database.jdbcUrl(), "role", "primary (read-write)"),
                "replica", Map.of("jdbc_url", postgres.replicaUrl(AmplyDatabase.NAME), "role", "streaming replica (read-only)"),
                "roles", roles));
        info.put("kafka", Map.of("bootstrap_servers", kafka.bootstrapServers()));
        info.put("stripe", Map.of("webhook_url", "http://localhost:" + options.commandPort() + "/v1/webhooks/stripe",
                "webhook_secret", secrets.stripeWebhookSecret()));
        info.put("dev_admin", Map.of("user_id", AmplyDatabase.DEV_ADMIN_ID, "api_key", secrets.devApiKey(),
                "header", "Authorization: Bearer " + secrets.devApiKey()));
        return info;
    }
}
