package io.amply.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class LocalSecretsTest {

    @TempDir
    Path dataDir;

    @Test
    void aRestartReusesEveryGeneratedSecret() throws Exception {
        // given
        Path file = dataDir.resolve("secrets.properties");
        LocalSecrets first = LocalSecrets.loadOrCreate(file);

        // when
        LocalSecrets again = LocalSecrets.loadOrCreate(file);

        // then
        assertThat(again).isEqualTo(first);
        assertThat(first.analystPassword()).hasSize(32).isNotEqualTo(first.readonlyPassword());
    }

    @Test
    void aDataDirectoryMadeBeforeTheAnalystsRoleGetsItsPasswordAndKeepsTheOthers() throws Exception {
        // given: the secrets file of a data directory made before 2026-11-29
        Path file = dataDir.resolve("secrets.properties");
        Files.writeString(file, """
                admin_password=a1
                app_password=a2
                readonly_password=a3
                dev_api_key=sk_dev_old
                stripe_webhook_secret=whsec_dev_old
                """);

        // when
        LocalSecrets upgraded = LocalSecrets.loadOrCreate(file);

        // then: the old ones kept, a new one made and kept for the next start
        assertThat(upgraded.adminPassword()).isEqualTo("a1");
        assertThat(upgraded.readonlyPassword()).isEqualTo("a3");
        assertThat(upgraded.devApiKey()).isEqualTo("sk_dev_old");
        assertThat(upgraded.analystPassword()).hasSize(32);
        assertThat(LocalSecrets.loadOrCreate(file).analystPassword()).isEqualTo(upgraded.analystPassword());
    }
}
