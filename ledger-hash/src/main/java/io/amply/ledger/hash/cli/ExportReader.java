package io.amply.ledger.hash.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.amply.ledger.hash.LedgerEntry;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads a JSON Lines export (ledger-hash-v1 §6) one line at a time, so a ledger of any length
 * needs only one entry in memory.
 */
final class ExportReader {

    /** Receives entries in file order; returning false stops the reading. */
    interface Sink {
        boolean accept(LedgerEntry entry);
    }

    private final CountingInputStream in;
    private final String source;

    ExportReader(InputStream in, String source) {
        this.in = new CountingInputStream(in);
        this.source = source;
    }

    long bytesRead() {
        return in.count();
    }

    /** Feeds every entry to the sink; the caller closes the stream. */
    void read(Sink sink) {
        // A strict decoder: silently replacing bad bytes would change the content being hashed.
        var utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, utf8));
        long lineNumber = 0;
        try {
            String line;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (lineNumber == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                if (line.isBlank()) {
                    continue;
                }
                if (!sink.accept(entry(line, lineNumber))) {
                    return;
                }
            }
        } catch (CharacterCodingException e) {
            throw new InputError(source + " is not valid UTF-8 (near line " + (lineNumber + 1) + ")", e);
        } catch (IOException e) {
            throw new InputError("cannot read " + source + " (after line " + lineNumber + "): "
                    + JsonInput.describe(e), e);
        }
    }

    private LedgerEntry entry(String line, long lineNumber) {
        JsonNode json;
        try {
            json = JsonInput.MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new InputError(source + " line " + lineNumber + ": malformed JSON: " + e.getOriginalMessage(), e);
        }
        try {
            return LedgerEntry.fromJson(json);
        } catch (IllegalArgumentException e) {
            throw new InputError(source + " line " + lineNumber + " is not a ledger entry: " + e.getMessage(), e);
        }
    }
}
