package io.amply.db;

import java.util.Map;

/**
 * The passwords the application's roles log in with. The bootstrap step sets them, as the cluster's superuser, so
 * that the owner that runs the migrations needs no {@code CREATEROLE}.
 *
 * @param app      {@code amply_app}'s: the services on the primary
 * @param readonly {@code amply_readonly}'s: the query side on the replica
 * @param analyst  {@code amply_analyst}'s: analysts on the replica, or {@code null}: the role is then made without a
 *                 login if it is missing, and left as it is if it exists
 */
public record RolePasswords(String app, String readonly, String analyst) {

    public RolePasswords {
        DatabaseSettings.requireUsablePassword("app", app);
        DatabaseSettings.requireUsablePassword("readonly", readonly);
        if (analyst != null && analyst.isBlank()) {
            analyst = null;
        }
    }

    /** Reads {@code AMPLY_DB_APP_PASSWORD}, {@code AMPLY_DB_READONLY_PASSWORD} and, if set, {@code AMPLY_DB_ANALYST_PASSWORD}. */
    public static RolePasswords fromEnvironment(Map<String, String> env) {
        return new RolePasswords(DatabaseSettings.required(env, "AMPLY_DB_APP_PASSWORD"),
                DatabaseSettings.required(env, "AMPLY_DB_READONLY_PASSWORD"), env.get("AMPLY_DB_ANALYST_PASSWORD"));
    }

    @Override
    public String toString() {
        return "RolePasswords[analyst " + (analyst == null ? "cannot log in" : "logs in") + "]";
    }
}
