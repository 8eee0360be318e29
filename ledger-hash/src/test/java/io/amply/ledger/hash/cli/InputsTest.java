package io.amply.ledger.hash.cli;

import io.amply.ledger.hash.Checkpoint;
import io.amply.ledger.hash.Ed25519Keys;
import io.amply.ledger.hash.JwkSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Checkpoint files and JWK Sets of the plain, usual shapes are read without Jackson's databind: to
 * exactly what JsonInput reads from them. Any other file is left to JsonInput (null here).
 */
class InputsTest {

    @TempDir
    Path dir;

    private int simple;

    @Test
    void readsTheUsualCheckpointFilesAsJsonInputDoes() throws Exception {
        String atTwo = LedgerVectors.toJson(LedgerVectors.checkpointAt(2).toJson());
        String atFour = LedgerVectors.text("checkpoint.json").strip();
        List<String> files = List.of(
                atFour,
                "[" + atTwo + ",\n" + atFour + "]",
                atTwo + "\n" + atFour + "\n",
                atTwo + atFour,
                "{\"data\": [" + atTwo + ", " + atFour + "], \"has_more\": false, \"next_cursor\": null}",
                "{\"has_more\": true, \"data\": [], \"next_cursor\": \"abc\"}",
                "[{\"data\": [" + atTwo + "]}]",
                "[[" + atTwo + ", " + atFour + "]]",
                "[" + atTwo + "] " + atFour,
                "\r\n\t " + atFour.replace(",", " ,\r\n ") + " \n",
                atFour.replace("{", "{\"id\": null, \"extra\": {\"nested\": [1, true, null]}, "),
                atFour.replace("{", "{\"id\": \"chk_1\", "),
                atFour.replace("\"v\": 1", "\"v\": -0").replace("\"v\":1", "\"v\":-0"));
        for (String file : files) {
            assertSameAsJsonInput(file);
        }
        assertThat(simple).isGreaterThanOrEqualTo(11);
    }

    @Test
    void leavesEveryOtherCheckpointFileToJsonInput() throws Exception {
        String cp = LedgerVectors.text("checkpoint.json").strip();
        List<String> files = new ArrayList<>(List.of("", " \n", "[]", "{}", "null", "1", "\"x\"", "[1]", "{\"data\": {}}",
                "{\"data\": null}", "[" + cp + "] trailing", "\uFEFF" + cp, cp + "]", cp + " {",
                cp.replace("\"v\": 1", "\"v\": 1.0"), cp.replace("\"v\": 1", "\"v\": \"1\""),
                cp.replace("\"v\": 1", "\"v\": 4294967297"), cp.replace("\"v\": 1", "\"v\": 2"),
                cp.replace("\"sequence\": 4", "\"sequence\": 4.0"), cp.replace("\"sequence\": 4", "\"sequence\": \"4\""),
                cp.replace("\"sequence\": 4", "\"sequence\": 12345678901234567890"),
                cp.replace("\"key_id\": \"test-2026-11\"", "\"key_id\": 2026"),
                cp.replace("\"key_id\": \"test-2026-11\"", "\"key_id\": true"),
                cp.replace("\"key_id\": \"test-2026-11\"", "\"key_id\": \"test\\u002d2026-11\""),
                cp.replace("\"key_id\": \"test-2026-11\"", "\"key_id\": \"tést\""),
                cp.replace("{", "{\"v\": 1, "), cp.replace("{", "{\"a\": 1, \"a\": 2, "),
                cp.replace("{", "{\"x\": nul, "), cp.replace("{", "{\"x\": 01, "), cp.replace("{", "{\"x\": [1,], "),
                cp.replace("{", "{\"x\": truex, ")));
        for (String file : files) {
            assertSameAsJsonInput(file);
        }
    }

    @Test
    void anyMutationOfACheckpointFileItReadsIsReadTheSameByJsonInput() throws Exception {
        byte[] original = ("{\"data\": [" + LedgerVectors.toJson(LedgerVectors.checkpointAt(2).toJson()) + ", "
                + LedgerVectors.text("checkpoint.json").strip() + "], \"has_more\": false}").getBytes(StandardCharsets.UTF_8);
        byte[] interesting = {'"', '\\', '{', '}', '[', ']', ',', ':', ' ', '\n', '0', '1', '-', '.', 'e', 'n', 't', 0, (byte) 0xC3};
        Random random = new Random(3);
        for (int n = 0; n < 1_000; n++) {
            byte[] mutated = original.clone();
            int at = random.nextInt(mutated.length);
            if (random.nextBoolean()) {
                mutated[at] = interesting[random.nextInt(interesting.length)];
            } else {
                mutated = java.util.Arrays.copyOf(mutated, at);
            }
            assertSameAsJsonInput(mutated);
        }
    }

    @Test
    void readsTheUsualJwkSetsAsJsonInputDoes() throws Exception {
        String jwks = LedgerVectors.text("jwks.json").strip();
        String key = jwks.substring(jwks.indexOf('[') + 1, jwks.lastIndexOf(']'));
        String x = Ed25519Keys.jwkX(Ed25519Keys.generate().getPublic());
        List<String> files = List.of(
                jwks,
                "{\"data\": " + jwks + "}",
                "{\"keys\": [" + key + ", {\"kty\": \"RSA\", \"kid\": \"r\", \"n\": \"abc\", \"e\": \"AQAB\"}, 1, [],"
                        + " {\"kty\": \"OKP\", \"crv\": \"X25519\", \"kid\": \"k\", \"x\": \"abc\"}]}",
                "{\"keys\": [" + key + ", {\"kty\": \"OKP\", \"crv\": \"Ed25519\", \"kid\": \"other\", \"x\": \"" + x + "\"}]}",
                "{\"keys\": [" + key + ", {\"kty\": \"OKP\", \"crv\": \"Ed25519\", \"kid\": \"\", \"x\": \"" + x + "\"}]}",
                "{\"keys\": [], \"extra\": {\"a\": [null]}}",
                "{\"keys\": [{\"kty\": \"OKP\", \"crv\": \"Ed25519\", \"x\": \"" + x + "\"}]}",
                "{\"data\": [], \"keys\": [" + key + "]}");
        for (String file : files) {
            assertSameJwks(file);
        }
        assertThat(simple).isEqualTo(files.size());
        for (String file : List.of("", "[]", "{}", "{\"keys\": {}}", "{\"data\": {}}", jwks + " {}", jwks + jwks,
                "{\"keys\": [{\"kty\": \"OKP\", \"crv\": \"Ed25519\", \"kid\": \"k\", \"x\": \"\"}]}",
                "{\"keys\": [{\"kty\": \"OKP\", \"crv\": \"Ed25519\", \"kid\": null, \"x\": \"" + x + "\"}]}",
                "{\"keys\": [{\"kty\": \"OKP\", \"crv\": \"Ed25519\", \"kid\": 7, \"x\": \"" + x + "\"}]}",
                "{\"keys\": [{\"kty\": \"OKP\", \"crv\": \"Ed25519\", \"kid\": \"k\", \"x\": \"not base64url!\"}]}",
                "{\"keys\": [" + key + ", " + key + "], \"keys\": []}")) {
            assertSameJwks(file);
        }
    }

    private void assertSameAsJsonInput(String file) throws Exception {
        assertSameAsJsonInput(file.getBytes(StandardCharsets.UTF_8));
    }

    private void assertSameAsJsonInput(byte[] content) throws Exception {
        Path file = Files.write(dir.resolve("checkpoints.json"), content);
        List<Checkpoint> fast = Inputs.simpleCheckpoints(file);
        List<Checkpoint> reference;
        try {
            reference = JsonInput.readCheckpoints(file);
        } catch (InputError e) {
            // a problem to report: left to JsonInput, which reports it as before
            assertThat(fast).as(new String(content, StandardCharsets.UTF_8)).isNull();
            assertThatThrownBy(() -> Inputs.readCheckpoints(file)).isInstanceOf(InputError.class).hasMessage(e.getMessage());
            return;
        }
        if (fast != null) {
            simple++;
            assertThat(fast).as(new String(content, StandardCharsets.UTF_8)).isEqualTo(reference);
        }
        assertThat(Inputs.readCheckpoints(file)).isEqualTo(reference);
    }

    private void assertSameJwks(String content) throws Exception {
        Path file = Files.writeString(dir.resolve("jwks.json"), content);
        JwkSet fast = Inputs.simpleJwks(file);
        JwkSet reference;
        try {
            reference = JsonInput.readJwks(file);
        } catch (InputError e) {
            assertThat(fast).as(content).isNull();
            assertThatThrownBy(() -> Inputs.readJwks(file)).isInstanceOf(InputError.class).hasMessage(e.getMessage());
            return;
        }
        if (fast != null) {
            simple++;
            assertThat(encoded(fast)).as(content).isEqualTo(encoded(reference));
        }
        assertThat(encoded(Inputs.readJwks(file))).isEqualTo(encoded(reference));
    }

    private static Map<String, String> encoded(JwkSet keys) {
        Map<String, String> encoded = new LinkedHashMap<>();
        keys.keys().forEach((kid, key) -> encoded.put(kid, Ed25519Keys.jwkX(key)));
        return encoded;
    }
}
