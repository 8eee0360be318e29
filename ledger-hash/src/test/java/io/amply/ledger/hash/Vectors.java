package io.amply.ledger.hash;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads the vectors copied into src/test/resources (see the READMEs there for their origin). */
final class Vectors {

    private Vectors() {
    }

    static String text(String resource) {
        try (InputStream in = Vectors.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IllegalArgumentException("missing test resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String resource) {
        try {
            return Jcs.MAPPER.readTree(text(resource));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<LedgerEntry> chain(String resource) {
        List<LedgerEntry> entries = new ArrayList<>();
        for (String line : text(resource).split("\n")) {
            if (!line.isBlank()) {
                try {
                    entries.add(LedgerEntry.fromJson(Jcs.MAPPER.readTree(line)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return entries;
    }
}
