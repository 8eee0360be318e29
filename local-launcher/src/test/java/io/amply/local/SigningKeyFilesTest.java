package io.amply.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/** The local run makes its checkpoint signing key on first start and keeps it. */
class SigningKeyFilesTest {

    @Test
    void theKeyMadeOnFirstStartIsKeptForTheNext(@TempDir Path dataDir) throws IOException {
        // given
        SigningKeyFiles first = SigningKeyFiles.ensure(dataDir.resolve("keys"));
        String pem = Files.readString(first.signingKey());

        // when
        SigningKeyFiles second = SigningKeyFiles.ensure(dataDir.resolve("keys"));

        // then
        assertThat(second.keyId()).isEqualTo(first.keyId()).startsWith("local-");
        assertThat(Files.readString(second.signingKey())).isEqualTo(pem).contains("BEGIN PRIVATE KEY");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(second.signingKey()))).isEqualTo("rw-------");
    }
}
