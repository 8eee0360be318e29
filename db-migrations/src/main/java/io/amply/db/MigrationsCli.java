package io.amply.db;

import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.output.ValidateResult;

import java.util.Map;

/**
 * {@code java -jar db-migrations-<version>-exec.jar migrate|info|validate}: runs the schema's
 * migrations against any database, e.g. staging first, then production. Configuration comes
 * from the environment (see docs/runbooks/migrations.md).
 */
public final class MigrationsCli {

    private MigrationsCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv()));
    }

    static int run(String[] args, Map<String, String> env) {
        if (args.length != 1) {
            return usage();
        }
        try {
            switch (args[0]) {
                case "bootstrap" -> {
                    Migrations.bootstrap(require(env, "AMPLY_DB_SUPERUSER_URL"), require(env, "AMPLY_DB_SUPERUSER"),
                            env.getOrDefault("AMPLY_DB_SUPERUSER_PASSWORD", ""),
                            env.getOrDefault("AMPLY_DB_ADMIN_USER", "amply_admin"),
                            require(env, "AMPLY_DB_ADMIN_PASSWORD"), RolePasswords.fromEnvironment(env),
                            env.getOrDefault("AMPLY_DB_NAME", "amply"));
                    System.out.println("bootstrap: the roles, their passwords and the database are in place");
                    return 0;
                }
                case "migrate" -> {
                    if (env.containsKey("AMPLY_DB_APP_PASSWORD") || env.containsKey("AMPLY_DB_READONLY_PASSWORD")) {
                        // until 2026-11-29 migrate set them, and rotating a password was "run migrate"
                        System.err.println("note: migrate does not set the roles' passwords; bootstrap does");
                    }
                    MigrateResult result = new Migrations(DatabaseSettings.fromEnvironment(env)).migrate();
                    System.out.printf("migrate: %d migration(s) applied, schema now at version %s%n",
                            result.migrationsExecuted, result.targetSchemaVersion);
                    return result.success ? 0 : 1;
                }
                case "info" -> {
                    for (MigrationInfo info : new Migrations(DatabaseSettings.fromEnvironment(env)).info().all()) {
                        System.out.printf("%-8s %-40s %-10s %s%n", info.getVersion() == null ? "R" : info.getVersion(),
                                info.getDescription(), info.getState().getDisplayName(),
                                info.getInstalledOn() == null ? "" : info.getInstalledOn());
                    }
                    return 0;
                }
                case "validate" -> {
                    ValidateResult result = new Migrations(DatabaseSettings.fromEnvironment(env)).validate();
                    if (result.validationSuccessful) {
                        System.out.println("validate: the database matches the migrations");
                        return 0;
                    }
                    result.invalidMigrations.forEach(m -> System.out.println("invalid: " + m.version + " " + m.errorDetails.errorMessage));
                    return 1;
                }
                default -> {
                    return usage();
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("configuration error: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            System.err.println(args[0] + " failed: " + e.getMessage());
            return 1;
        }
    }

    private static String require(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is not set");
        }
        return value;
    }

    private static int usage() {
        System.err.println("usage: db-migrations migrate|info|validate|bootstrap");
        System.err.println("  environment: AMPLY_DB_URL, AMPLY_DB_ADMIN_USER (amply_admin), AMPLY_DB_ADMIN_PASSWORD");
        System.err.println("  bootstrap (as the cluster's superuser, before every migrate): AMPLY_DB_SUPERUSER_URL, AMPLY_DB_SUPERUSER,");
        System.err.println("               AMPLY_DB_SUPERUSER_PASSWORD, AMPLY_DB_NAME (amply), AMPLY_DB_ADMIN_USER, AMPLY_DB_ADMIN_PASSWORD,");
        System.err.println("               AMPLY_DB_APP_PASSWORD, AMPLY_DB_READONLY_PASSWORD, AMPLY_DB_ANALYST_PASSWORD (optional)");
        return 2;
    }
}
