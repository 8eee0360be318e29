package io.amply.query.checkpoint;

import io.amply.ledger.hash.Ed25519Keys;
import io.amply.ledger.hash.JwkSet;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The checkpoint signing key and the published verification keys. The private key comes from a
 * PEM file or the environment, never from the database. Rotation: configure a new key and key
 * id; list the retired public keys in the published-keys file (a JWK Set) so that old
 * checkpoints keep verifying.
 */
@Component
public class CheckpointKeys {

    private static final Logger log = LoggerFactory.getLogger(CheckpointKeys.class);

    private final String keyId;
    private final PrivateKey signingKey;
    private final JwkSet published;

    CheckpointKeys(@Value("${amply.checkpoints.key-id:}") String keyId,
                   @Value("${amply.checkpoints.signing-key-file:}") String keyFile,
                   @Value("${amply.checkpoints.signing-key:}") String keyPem,
                   @Value("${amply.checkpoints.published-keys-file:}") String publishedFile,
                   ObjectMapper json) {
        String pem = keyPem.isBlank() && !keyFile.isBlank() ? read(Path.of(keyFile)) : keyPem;
        this.signingKey = pem.isBlank() ? null : Ed25519Keys.privateKeyFromPem(pem);
        this.keyId = keyId;
        if (signingKey != null && keyId.isBlank()) {
            throw new IllegalStateException("amply.checkpoints.key-id must name the signing key");
        }
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        if (!publishedFile.isBlank() && Files.exists(Path.of(publishedFile))) {
            try {
                keys.putAll(JwkSet.fromJson(json.readTree(Path.of(publishedFile).toFile())).keys());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the published keys " + publishedFile, e);
            }
        }
        if (signingKey != null) {
            keys.put(keyId, Ed25519Keys.publicKeyOf(signingKey));
        } else {
            log.warn("no checkpoint signing key is configured (amply.checkpoints.signing-key-file): no checkpoints will be made");
        }
        this.published = new JwkSet(keys);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the checkpoint signing key " + file, e);
        }
    }

    public Optional<PrivateKey> signingKey() {
        return Optional.ofNullable(signingKey);
    }

    public String keyId() {
        return keyId;
    }

    /** Every key a checkpoint may name: the current one and the retired ones still published. */
    public JwkSet published() {
        return published;
    }
}
