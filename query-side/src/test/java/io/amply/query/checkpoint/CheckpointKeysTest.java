package io.amply.query.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.amply.ledger.hash.Checkpoint;
import io.amply.ledger.hash.CheckpointVerifier;
import io.amply.ledger.hash.Ed25519Keys;
import io.amply.ledger.hash.JwkSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Key rotation: a new key signs, the retired one stays published, and only published keys verify. */
class CheckpointKeysTest {

    private static final String HASH = "sha256:" + "ab".repeat(32);
    private final KeyPair retired = Ed25519Keys.generate();
    private final KeyPair current = Ed25519Keys.generate();
    private CheckpointKeys keys;

    @BeforeEach
    void rotated(@TempDir Path dir) throws IOException {
        // given: the retired key's public half in the published-keys file, the new key signing
        Path published = dir.resolve("published-jwks.json");
        Files.writeString(published, new JwkSet(Map.of("2025-a", retired.getPublic())).toJson().toString());
        Path signing = dir.resolve("key.pem");
        Files.writeString(signing, Ed25519Keys.toPem(current.getPrivate()));
        keys = new CheckpointKeys("2026-b", signing.toString(), "", published.toString(), new ObjectMapper());
    }

    @Test
    void theNewKeySignsAndBothAreInTheJwkSet() {
        assertThat(keys.keyId()).isEqualTo("2026-b");
        assertThat(keys.published().keys()).containsOnlyKeys("2025-a", "2026-b");
        Checkpoint fresh = Checkpoint.sign("chk_2", "org_1", 20, HASH, "2026-11-26T00:00:00.000Z", keys.keyId(),
                keys.signingKey().orElseThrow());
        assertThat(CheckpointVerifier.verifySignature(fresh, keys.published()).signatureValid()).isTrue();
    }

    @Test
    void aCheckpointSignedBeforeTheRotationStillVerifies() {
        Checkpoint old = Checkpoint.sign("chk_1", "org_1", 10, HASH, "2025-06-01T00:00:00.000Z", "2025-a",
                retired.getPrivate());
        assertThat(CheckpointVerifier.verifySignature(old, keys.published()).signatureValid()).isTrue();
    }

    @Test
    void aCheckpointSignedWithAKeyThatIsNotPublishedIsReported() {
        Checkpoint unknown = Checkpoint.sign("chk_3", "org_1", 10, HASH, "2026-11-26T00:00:00.000Z", "2024-x",
                Ed25519Keys.generate().getPrivate());
        CheckpointVerifier.Result result = CheckpointVerifier.verifySignature(unknown, keys.published());
        assertThat(result.signatureValid()).isFalse();
        assertThat(result.problem()).contains("2024-x").contains("does not publish");
    }

    @Test
    void aCheckpointNamingTheRetiredKeyButSignedByAnotherIsReported() {
        Checkpoint forged = Checkpoint.sign("chk_4", "org_1", 10, HASH, "2026-11-26T00:00:00.000Z", "2025-a",
                Ed25519Keys.generate().getPrivate());
        CheckpointVerifier.Result result = CheckpointVerifier.verifySignature(forged, keys.published());
        assertThat(result.signatureValid()).isFalse();
        assertThat(result.problem()).contains("does not verify under key \"2025-a\"");
    }
}
