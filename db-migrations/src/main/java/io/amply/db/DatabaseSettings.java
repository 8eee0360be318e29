package io.amply.db;

import java.util.Map;
import java.util.Objects;

/**
 * Where the database is and how its owner logs in. Passwords come from configuration (environment or system
 * properties), never from the repository. The other roles' passwords are the bootstrap step's
 * ({@link RolePasswords}).
 *
 * @param jdbcUrl       the database, e.g. {@code jdbc:postgresql://db:5432/amply?sslmode=require}
 * @param adminUser     the owner that runs migrations ({@code amply_admin})
 * @param adminPassword its password
 */
public record DatabaseSettings(String jdbcUrl, String adminUser, String adminPassword) {

    public DatabaseSettings {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(adminUser, "adminUser");
        requireUsablePassword("admin", adminPassword);
    }

    static void requireUsablePassword(String role, String password) {
        if (password == null || password.isBlank()) {
            throw new IllegalArgumentException("the " + role + " password is not configured");
        }
    }

    /** Reads {@code AMPLY_DB_URL}, {@code AMPLY_DB_ADMIN_USER} and {@code AMPLY_DB_ADMIN_PASSWORD} from the given environment. */
    public static DatabaseSettings fromEnvironment(Map<String, String> env) {
        return new DatabaseSettings(
                required(env, "AMPLY_DB_URL"),
                env.getOrDefault("AMPLY_DB_ADMIN_USER", "amply_admin"),
                required(env, "AMPLY_DB_ADMIN_PASSWORD"));
    }

    static String required(Map<String, String> env, String name) {
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
