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
        requireAnOwnerThatCannotMakeRoles();
        return flyway().migrate();
    }

    /** Migrates up to and including {@code version} only: for testing a migration against data in its predecessor's schema. */
    public MigrateResult migrateTo(String version) {
        requireAnOwnerThatCannotMakeRoles();
        return configuration().target(version).load().migrate();
    }

    /**
     * Migrations run as an owner without {@code CREATEROLE} (nor superuser): one that still has it was not brought up
     * to date by this release's bootstrap step, which also makes the roles the migrations grant to.
     */
    private void requireAnOwnerThatCannotMakeRoles() {
        try (Connection connection = DriverManager.getConnection(settings.jdbcUrl(), settings.adminUser(), settings.adminPassword());
             Statement statement = connection.createStatement();
             var rs = statement.executeQuery("SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user")) {
            if (rs.next() && rs.getBoolean(1)) {
                throw new IllegalStateException(settings.adminUser() + " may create roles: run this release's bootstrap step "
                        + "(db-migrations bootstrap, as the cluster's superuser) before migrate");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach the database as " + settings.adminUser() + ": " + e.getMessage(), e);
        }
    }

    public ValidateResult validate() {
        return flyway().validateWithResult();
    }

    public org.flywaydb.core.api.MigrationInfoService info() {
        return flyway().info();
    }

    /**
     * Prepares a cluster, run by its superuser (the RDS master user in production) for a new cluster, an upgrade and
     * a password's change: creates or updates the roles (the owner, {@code amply_app}, {@code amply_readonly},
     * {@code amply_analyst}) with their passwords, checks that none has powers the project never gives it, and
     * creates the database the owner owns. Idempotent; rotating a password is "change the configuration, run
     * bootstrap".
     *
     * <p>The roles are made here, not by the migrations, so that the owner has no {@code CREATEROLE}: with it, on
     * PostgreSQL 15, the owner could grant itself {@code pg_execute_server_program}, and any way of running SQL as
     * the owner would reach the server's operating system. (Until 2026-11-29 the owner had it, and the migrations
     * set the other roles' passwords.)
     *
     * @param superuserUrl a JDBC URL of the cluster's maintenance database ({@code postgres})
     * @param database     the database to create, owned by the admin role
     */
    public static void bootstrap(String superuserUrl, String superuser, String superuserPassword,
                                 String adminUser, String adminPassword, RolePasswords roles, String database)
            throws SQLException {
        if (!adminUser.matches("[a-z_][a-z0-9_]*") || !database.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("role and database names must be plain lower-case identifiers");
        }
        DatabaseSettings.requireUsablePassword("admin", adminPassword);
        try (Connection connection = DriverManager.getConnection(superuserUrl, superuser, superuserPassword);
             Statement statement = connection.createStatement()) {
            // every password as its SCRAM verifier, so that the server's DDL log holds none; none of the roles may
            // make roles or databases (an owner that could would have granted itself more: see above)
            role(statement, adminUser, "LOGIN NOCREATEROLE NOCREATEDB PASSWORD '" + verifier(adminPassword) + "'");
            role(statement, "amply_app", "LOGIN NOCREATEROLE NOCREATEDB PASSWORD '" + verifier(roles.app()) + "'");
            role(statement, "amply_readonly", "LOGIN NOCREATEROLE NOCREATEDB PASSWORD '" + verifier(roles.readonly()) + "'");
            if (roles.analyst() != null) {
                role(statement, "amply_analyst", "LOGIN NOCREATEROLE NOCREATEDB PASSWORD '" + verifier(roles.analyst()) + "'");
            } else if (!exists(statement, "amply_analyst")) {
                // no password given: the role the migrations grant to, which cannot log in; one that can is left as it is
                statement.execute("CREATE ROLE amply_analyst NOLOGIN");
            }
            requireNoPowersBeyondTheirGrants(statement, adminUser);
            // A transaction the application left open and then went quiet in (its node died or was cut off
            // mid-transaction, so no close ever arrives) keeps its row locks until the server notices, which TCP alone
            // takes hours to: every donation to that fund would wait. PostgreSQL ends such a session after a minute and
            // rolls it back. The application never idles that long inside a transaction (its longest wait is the Kafka
            // acknowledgement timeout, 30 s). Readers are left alone: a reader holds no lock a writer waits for, and a
            // slow client may pause an export's cursor for longer.
            statement.execute("ALTER ROLE amply_app SET idle_in_transaction_session_timeout = '1min'");
            // an analyst's transaction left open on the replica holds back what vacuum may remove on the primary
            statement.execute("ALTER ROLE amply_analyst SET idle_in_transaction_session_timeout = '10min'");
            boolean databaseExists;
            try (var rs = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
                databaseExists = rs.next();
            }
            if (!databaseExists) {
                statement.execute("CREATE DATABASE " + database + " OWNER " + adminUser + " ENCODING 'UTF8'");
            }
        }
    }

    private static void role(Statement statement, String name, String attributes) throws SQLException {
        statement.execute((exists(statement, name) ? "ALTER" : "CREATE") + " ROLE " + name + " WITH " + attributes);
    }

    private static boolean exists(Statement statement, String role) throws SQLException {
        try (var rs = statement.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + role + "'")) {
            return rs.next();
        }
    }

    /**
     * Fails when one of the roles is a superuser, may replicate or bypass row-level security, or is a member of another
     * role: none of that comes from this project, and an owner that had {@code CREATEROLE} (until 2026-11-29) could
     * have given itself or the others any of it (e.g. {@code pg_execute_server_program}). Taking it away is the
     * superuser's decision, so this names what it found rather than revoking it.
     */
    private static void requireNoPowersBeyondTheirGrants(Statement statement, String adminUser) throws SQLException {
        String ours = "ARRAY['" + adminUser + "', 'amply_app', 'amply_readonly', 'amply_analyst']";
        try (var rs = statement.executeQuery("""
                SELECT string_agg(what, '; ' ORDER BY what) FROM (
                  SELECT rolname || ' is ' || concat_ws(', ', CASE WHEN rolsuper THEN 'a superuser' END,
                         CASE WHEN rolreplication THEN 'a replication role' END,
                         CASE WHEN rolbypassrls THEN 'exempt from row-level security' END) AS what
                    FROM pg_roles WHERE rolname = ANY (%1$s) AND (rolsuper OR rolreplication OR rolbypassrls)
                  UNION ALL
                  SELECT m.rolname || ' is a member of ' || r.rolname
                    FROM pg_auth_members a JOIN pg_roles m ON m.oid = a.member JOIN pg_roles r ON r.oid = a.roleid
                   WHERE m.rolname = ANY (%1$s)) found""".formatted(ours))) {
            rs.next();
            if (rs.getString(1) != null) {
                throw new IllegalStateException("the application's roles have powers the project never gives them: "
                        + rs.getString(1) + ". Revoke them (as the superuser) and run bootstrap again");
            }
        }
    }
}
