package io.amply.local;

import io.amply.command.security.ApiKeys;
import io.amply.db.DatabaseSettings;
import io.amply.db.Migrations;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Brings a cluster's {@code amply} database to the current schema: bootstrap (the roles and the
 * database, as the superuser), then Flyway as the owner, then the development admin.
 */
public final class AmplyDatabase {

    public static final String NAME = "amply";
    public static final String DEV_ADMIN_ID = "usr_devadmin";

    private AmplyDatabase() {
    }

    public static DatabaseSettings prepare(PostgresCluster cluster, LocalSecrets secrets) throws SQLException {
        Migrations.bootstrap(cluster.primaryUrl("postgres"), "postgres", "", "amply_admin", secrets.adminPassword(),
                secrets.rolePasswords(), NAME);
        DatabaseSettings settings = new DatabaseSettings(cluster.primaryUrl(NAME), "amply_admin", secrets.adminPassword());
        new Migrations(settings).migrate();
        ensureUser(settings, DEV_ADMIN_ID, "admin@amply.local", "Development admin", "platform_admin",
                "key_devadmin", secrets.devApiKey());
        return settings;
    }

    /** Creates (or keeps) a user with one API key; as the owner, because users are not tenant data. */
    public static void ensureUser(DatabaseSettings settings, String userId, String email, String name,
                                  String platformRole, String keyId, String apiKey) throws SQLException {
        try (Connection connection = DriverManager.getConnection(settings.jdbcUrl(), settings.adminUser(), settings.adminPassword())) {
            try (PreparedStatement user = connection.prepareStatement("""
                    INSERT INTO users (id, email, name, platform_role) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING""")) {
                user.setString(1, userId);
                user.setString(2, email);
                user.setString(3, name);
                user.setString(4, platformRole);
                user.executeUpdate();
            }
            try (PreparedStatement key = connection.prepareStatement("""
                    INSERT INTO api_keys (id, user_id, secret_hash, display_hint) VALUES (?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET secret_hash = EXCLUDED.secret_hash, display_hint = EXCLUDED.display_hint,
                        revoked_at = CASE WHEN api_keys.secret_hash = EXCLUDED.secret_hash THEN api_keys.revoked_at END""")) {
                // a revoked key stays revoked across restarts (a leaked one must not come back); a new secret is a new key
                key.setString(1, keyId);
                key.setString(2, userId);
                key.setString(3, ApiKeys.hash(apiKey)); // the same hash the command side checks
                key.setString(4, apiKey.substring(0, 7) + "…" + apiKey.substring(apiKey.length() - 4));
                key.executeUpdate();
            }
        }
    }
}
