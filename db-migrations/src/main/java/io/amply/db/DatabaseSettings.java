package io.amply.db;

import java.util.Map;
import java.util.Objects;

/**
 * Where the database is and the passwords of its roles. Passwords come from configuration
 * (environment or system properties), never from the repository.
 *
 * @param jdbcUrl          the database, e.g. {@code jdbc:postgresql://db:5432/amply?sslmode=require}
 * @param adminUser        the owner that runs migrations ({@code amply_admin})
 * @param adminPassword    its password
 * @param appPassword      the password {@code amply_app} logs in with
 * @param readonlyPassword the password {@code amply_readonly} logs in with
 */
public record DatabaseSettings(String jdbcUrl, String adminUser, String adminPassword, String appPassword,
                               String readonlyPassword) {

    public DatabaseSettings {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(adminUser, "adminUser");
        requireUsablePassword("admin", adminPassword);
        requireUsablePassword("app", appPassword);
        requireUsablePassword("readonly", readonlyPassword);
    }

    private static void requireUsablePassword(String role, String password) {
        if (password == null || password.isBlank()) {
            throw new IllegalArgumentException("the " + role + " password is not configured");
        }
        // Passwords reach ALTER ROLE through a Flyway placeholder inside a SQL literal.
        if (password.contains("'") || password.contains("\\")) {
            throw new IllegalArgumentException("the " + role + " password must not contain ' or \\");
        }
    }

    /** Reads {@code AMPLY_DB_URL}, {@code AMPLY_DB_ADMIN_USER}, ... from the given environment. */
    public static DatabaseSettings fromEnvironment(Map<String, String> env) {
        return new DatabaseSettings(
                required(env, "AMPLY_DB_URL"),
                env.getOrDefault("AMPLY_DB_ADMIN_USER", "amply_admin"),
                required(env, "AMPLY_DB_ADMIN_PASSWORD"),
                required(env, "AMPLY_DB_APP_PASSWORD"),
                required(env, "AMPLY_DB_READONLY_PASSWORD"));
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is not set");
        }
        return value;
    }

    @Override
    public String toString() {
        return "DatabaseSettings[" + jdbcUrl + " as " + adminUser + "]";
    }
}
