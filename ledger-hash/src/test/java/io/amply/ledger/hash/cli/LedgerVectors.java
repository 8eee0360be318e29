package io.amply.ledger.hash.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.amply.ledger.hash.Checkpoint;
import io.amply.ledger.hash.Ed25519Keys;
import io.amply.ledger.hash.LedgerEntry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The ledger-v1 conformance vectors from the classpath, and files made from them for the CLI. */
final class LedgerVectors {

    static final String ORGANISATION = "org_xyz789";
    static final String KEY_ID = "test-2026-11";

    private LedgerVectors() {
    }

    static String text(String name) {
        try (InputStream in = LedgerVectors.class.getResourceAsStream("/ledger-v1/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("missing test resource /ledger-v1/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String name) {
        return parse(text(name));
    }

    static List<String> lines(String name) {
        return Arrays.stream(text(name).split("\n")).filter(line -> !line.isBlank()).toList();
    }

    static List<LedgerEntry> entries(String name) {
        return lines(name).stream().map(line -> LedgerEntry.fromJson(parse(line))).toList();
    }

    /** Copies a vector into {@code dir} under its own name. */
    static Path copy(String name, Path dir) {
        return write(dir, name, text(name));
    }

    static Path write(Path dir, String fileName, String content) {
        try {
            return Files.writeString(dir.resolve(fileName), content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A genuine checkpoint, signed with the vectors' test key, of the conformance chain at {@code sequence}. */
    static Checkpoint checkpointAt(long sequence) {
        String entryHash = entries("chain.jsonl").get((int) sequence - 1).entryHash();
        return sign(ORGANISATION, sequence, entryHash);
    }

    static Checkpoint sign(String organisationId, long sequence, String entryHash) {
        return Checkpoint.sign(null, organisationId, sequence, entryHash, "2026-11-25T14:00:00.000000Z", KEY_ID,
                Ed25519Keys.privateKeyFromPem(text("test-signing-key.pem")));
    }

    static String toJson(Object value) {
        try {
            return JsonInput.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(String json) {
        try {
            return JsonInput.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
