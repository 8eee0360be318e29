package io.amply.db;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.output.ValidateResult;
import org.postgresql.util.PasswordUtil;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/** The schema's life cycle, usable from code (services, the local launcher, tests) and the CLI. */
public final class Migrations {

    private final DatabaseSettings settings;

    public Migrations(DatabaseSettings settings) {
        this.settings = settings;
    }

    private Flyway flyway() {
        return configuration().load();
    }

    private FluentConfiguration configuration() {
        return Flyway.configure()
                .dataSource(settings.jdbcUrl(), settings.adminUser(), settings.adminPassword())
                .locations("classpath:db/migration")
                .placeholders(Map.of(
                        "app_password", verifier(settings.appPassword()),
                        "readonly_password", verifier(settings.readonlyPassword())))
                // migrations run as the owner: every object they create belongs to amply_admin
                .cleanDisabled(true);
    }

    /**
     * A password as PostgreSQL stores it for SCRAM-SHA-256 ({@code SCRAM-SHA-256$4096:<salt>$<StoredKey>:<ServerKey>},
     * the driver's own encoding, SASLprep included): {@code ALTER ROLE … PASSWORD} given this stores it as it is, and
     * the statement, which a server logging DDL ({@code log_statement = ddl}, as every cluster the project starts)
     * writes to its log, holds no password.
     */
    static String verifier(String password) {
        return PasswordUtil.encodeScramSha256(password.toCharArray());
    }

    public MigrateResult migrate() {
        return flyway().migrate();
    }

    /** Migrates up to and including {@code version} only: for testing a migration against data in its predecessor's schema. */
    public MigrateResult migrateTo(String version) {
        return configuration().target(version).load().migrate();
    }

    public ValidateResult validate() {
        return flyway().validateWithResult();
    }

    public org.flywaydb.core.api.MigrationInfoService info() {
        return flyway().info();
    }

    /**
     * Prepares an empty cluster, run once by its superuser (the RDS master user in production):
     * creates the owner role and the database it owns. Idempotent.
     *
     * @param superuserUrl a JDBC URL of the cluster's maintenance database ({@code postgres})
     * @param database     the database to create, owned by the admin role
     */
    public static void bootstrap(String superuserUrl, String superuser, String superuserPassword,
                                 String adminUser, String adminPassword, String database) throws SQLException {
        if (!adminUser.matches("[a-z_][a-z0-9_]*") || !database.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("role and database names must be plain lower-case identifiers");
        }
        if (adminPassword.contains("'")) {
            throw new IllegalArgumentException("the admin password must not contain '");
        }
        try (Connection connection = DriverManager.getConnection(superuserUrl, superuser, superuserPassword);
             Statement statement = connection.createStatement()) {
            boolean roleExists;
            try (var rs = statement.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + adminUser + "'")) {
                roleExists = rs.next();
            }
            statement.execute((roleExists ? "ALTER" : "CREATE") + " ROLE " + adminUser
                    + " WITH LOGIN CREATEROLE PASSWORD '" + verifier(adminPassword) + "'");
            boolean databaseExists;
            try (var rs = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
                databaseExists = rs.next();
            }
            if (!databaseExists) {
                statement.execute("CREATE DATABASE " + database + " OWNER " + adminUser + " ENCODING 'UTF8'");
            }
        }
    }
}
