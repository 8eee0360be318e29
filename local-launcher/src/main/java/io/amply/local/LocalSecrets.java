package io.amply.local;

import io.amply.db.RolePasswords;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Properties;

/**
 * The local run's generated credentials (database role passwords, the development admin's API
 * key), made on first start and kept in the data directory (mode 600) so a restart reuses them.
 */
public record LocalSecrets(String adminPassword, String appPassword, String readonlyPassword, String analystPassword,
                           String devApiKey, String stripeWebhookSecret) {

    private static final SecureRandom RANDOM = new SecureRandom();

    public static LocalSecrets loadOrCreate(Path file) throws IOException {
        Properties properties = new Properties();
        if (Files.exists(file)) {
            try (Reader reader = Files.newBufferedReader(file)) {
                properties.load(reader);
            }
            // a data directory made before the analysts' role (2026-11-29) gets its password now
            if (properties.getProperty("analyst_password") == null) {
                properties.setProperty("analyst_password", random(16));
                store(file, properties);
            }
        } else {
            properties.setProperty("admin_password", random(16));
            properties.setProperty("app_password", random(16));
            properties.setProperty("readonly_password", random(16));
            properties.setProperty("analyst_password", random(16));
            properties.setProperty("dev_api_key", "sk_dev_" + random(20));
            properties.setProperty("stripe_webhook_secret", "whsec_dev_" + random(24));
            Files.createDirectories(file.getParent());
            Files.createFile(file);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // Windows: the file stays readable by its owner only through the user profile
            }
            store(file, properties);
        }
        return new LocalSecrets(properties.getProperty("admin_password"), properties.getProperty("app_password"),
                properties.getProperty("readonly_password"), properties.getProperty("analyst_password"),
                properties.getProperty("dev_api_key"), properties.getProperty("stripe_webhook_secret", ""));
    }

    private static void store(Path file, Properties properties) throws IOException {
        try (Writer writer = Files.newBufferedWriter(file)) {
            properties.store(writer, "Amply local run: generated development credentials; delete to regenerate");
        }
    }

    /** The passwords the bootstrap step gives the application's roles. */
    public RolePasswords rolePasswords() {
        return new RolePasswords(appPassword, readonlyPassword, analystPassword);
    }

    private static String random(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return HexFormat.of().formatHex(value);
    }
}
