package io.amply.local;

import io.amply.ledger.hash.Ed25519Keys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The local run's checkpoint signing key: generated on first start (Ed25519, PKCS#8 PEM, mode 600)
 * and kept in the data directory, never in the database. To rotate by hand, move the key aside,
 * add its public key to {@code published-jwks.json} and restart: a new key is made.
 */
record SigningKeyFiles(String keyId, Path signingKey, Path publishedKeys) {

    static SigningKeyFiles ensure(Path directory) throws IOException {
        Files.createDirectories(directory);
        Path key = directory.resolve("checkpoint-signing-key.pem");
        Path keyId = directory.resolve("checkpoint-key-id");
        if (!Files.exists(key)) {
            KeyPair pair = Ed25519Keys.generate();
            Files.writeString(key, Ed25519Keys.toPem(pair.getPrivate()));
            try {
                Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // the file stays in the user's own data directory
            }
            Files.writeString(keyId, "local-" + LocalDate.now(ZoneOffset.UTC) + "-" + Ed25519Keys.jwkX(pair.getPublic()).substring(0, 6));
        }
        return new SigningKeyFiles(Files.readString(keyId).trim(), key, directory.resolve("published-jwks.json"));
    }

    String[] arguments(Path exportDirectory) {
        return new String[]{
                "--amply.checkpoints.key-id=" + keyId,
                "--amply.checkpoints.signing-key-file=" + signingKey.toAbsolutePath(),
                "--amply.checkpoints.published-keys-file=" + publishedKeys.toAbsolutePath(),
                "--amply.checkpoints.export-directory=" + exportDirectory.toAbsolutePath(),
        };
    }
}
