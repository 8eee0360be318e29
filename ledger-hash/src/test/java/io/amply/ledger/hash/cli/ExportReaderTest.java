package io.amply.ledger.hash.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.amply.ledger.hash.CheckedLines;
import io.amply.ledger.hash.LedgerEntry;
import io.amply.ledger.hash.LedgerHashes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The parallel reader hands the sink what reading line by line did: the same entries in the same
 * order, lines cut at LF, CR or CRLF, the byte-order mark and blank lines skipped, and the same
 * error at the same line, however the file falls into chunks and however many workers check it.
 */
class ExportReaderTest {

    private static final int[] CHUNK_SIZES = {7, 64, 4096, ExportReader.DEFAULT_CHUNK_SIZE};
    private static final int[] WORKERS = {1, 3};

    @Test
    void readsEveryShapeOfLineAsReadingLineByLineDid() {
        List<String> chain = chain(120);
        List<String> files = new ArrayList<>();
        files.add(String.join("\n", chain) + "\n");
        files.add(String.join("\n", chain));
        files.add(String.join("\r\n", chain) + "\r\n");
        files.add(String.join("\r", chain) + "\r");
        StringBuilder mixed = new StringBuilder("\uFEFF");
        for (int i = 0; i < chain.size(); i++) {
            mixed.append(chain.get(i)).append(i % 3 == 0 ? "\n" : i % 3 == 1 ? "\r\n" : "\r");
            switch (i % 7) {
                case 0 -> mixed.append("\n");
                case 1 -> mixed.append("   \t\r\n");
                case 2 -> mixed.append("\u000B\u001C\u001F\r");
                case 3 -> mixed.append("\u3000\u2003\n");
                default -> { }
            }
        }
        files.add(mixed.toString());
        // escapes, reordered members and spacing: the reference path, or the checker with spaces
        List<String> varied = new ArrayList<>(chain);
        varied.set(5, varied.get(5).replace("\"EUR\"", "\"\\u0045UR\""));
        varied.set(6, varied.get(6).replace(",", " , ").replace("\":", "\" :\t"));
        String body = varied.get(7).substring(1, varied.get(7).length() - 1);
        int split = body.indexOf(",\"sequence\"");
        varied.set(7, "{" + body.substring(split + 1) + "," + body.substring(0, split) + "}");
        // a line much longer than a chunk
        varied.set(9, varied.get(9).replace("\"fund_id\"", "\"blob\":\"" + "x".repeat(20_000) + "\",\"fund_id\""));
        files.add(String.join("\n", varied) + "\n");
        files.add("");
        files.add("\n \n\t\r\n");
        files.add("\uFEFF");

        for (String file : files) {
            byte[] bytes = file.getBytes(StandardCharsets.UTF_8);
            List<String> expected = sequential(bytes);
            assertThat(expected).hasSize(file.length() < 10 ? 0 : 120).noneMatch(entry -> entry.startsWith("error"));
            for (int chunkSize : CHUNK_SIZES) {
                for (int workers : WORKERS) {
                    assertThat(parallel(bytes, chunkSize, workers)).as("chunk %d, %d workers", chunkSize, workers)
                            .isEqualTo(expected);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 60, 119, 120})
    void aBadLineIsReportedAtItsLineWithTheMessageReadingLineByLineGave(int line) {
        List<String> chain = chain(120);
        for (String bad : List.of(chain.get(line - 1).substring(0, 50), "{\"sequence\": \"2\"}", "[1, 2]", "\u00a0",
                "\uFEFF" + chain.get(line - 1), chain.get(line - 1) + " {}")) {
            List<String> lines = new ArrayList<>(chain);
            lines.set(line - 1, bad);
            byte[] bytes = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
            List<String> expected = sequential(bytes);
            if (line == 1 && bad.startsWith("\uFEFF")) {
                // line 1 may start with a byte-order mark: the entry is good
                assertThat(expected.get(expected.size() - 1)).doesNotStartWith("error");
            } else {
                assertThat(expected.get(expected.size() - 1)).startsWith("error: export.jsonl line " + line);
            }
            for (int chunkSize : CHUNK_SIZES) {
                for (int workers : WORKERS) {
                    assertThat(parallel(bytes, chunkSize, workers)).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void invalidUtf8IsReportedAtTheLineThatHoldsIt() {
        List<String> chain = chain(50);
        for (byte[] bad : List.of(new byte[]{(byte) 0xFF}, new byte[]{(byte) 0xC0, (byte) 0xAF},
                new byte[]{(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[]{(byte) 0xE2, (byte) 0x82})) {
            for (int line : new int[]{1, 17, 50}) {
                ByteArrayOutputStream file = new ByteArrayOutputStream();
                for (int i = 1; i <= chain.size(); i++) {
                    byte[] bytes = chain.get(i - 1).getBytes(StandardCharsets.UTF_8);
                    if (i == line) {
                        int at = chain.get(i - 1).indexOf("fund_") + 2;
                        file.write(bytes, 0, at);
                        file.writeBytes(bad);
                        file.write(bytes, at, bytes.length - at);
                    } else {
                        file.writeBytes(bytes);
                    }
                    file.write('\n');
                }
                for (int chunkSize : CHUNK_SIZES) {
                    List<String> read = parallel(file.toByteArray(), chunkSize, 2);
                    assertThat(read).hasSize(line);
                    assertThat(read.get(line - 1)).isEqualTo("error: export.jsonl is not valid UTF-8 (near line " + line + ")");
                }
            }
        }
    }

    @Test
    void readingStopsWhenTheSinkSaysSoAndLaterProblemsAreNotReported() {
        List<String> lines = new ArrayList<>(chain(300));
        lines.set(250, "not json");
        byte[] bytes = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        for (int chunkSize : CHUNK_SIZES) {
            AtomicInteger seen = new AtomicInteger();
            ExportReader reader = new ExportReader(new ByteArrayInputStream(bytes), "export.jsonl", chunkSize, 2);
            reader.read(line -> seen.incrementAndGet() < 100);
            assertThat(seen.get()).isEqualTo(100);
            assertThat(reader.bytesRead()).isLessThan(bytes.length);
        }
    }

    @Test
    void aFailingStreamIsAnInputErrorAfterTheLinesReadBeforeIt() {
        byte[] bytes = (String.join("\n", chain(40)) + "\n").getBytes(StandardCharsets.UTF_8);
        InputStream failing = new InputStream() {
            private int at;

            @Override
            public int read() throws IOException {
                if (at == bytes.length / 2) {
                    throw new IOException("connection reset");
                }
                return bytes[at++] & 0xFF;
            }
        };
        List<String> entries = new ArrayList<>();
        ExportReader reader = new ExportReader(failing, "GET x", 1000, 2);
        assertThatThrownBy(() -> reader.read(line -> entries.add(line.entry().id())))
                .isInstanceOf(InputError.class)
                .hasMessageStartingWith("cannot read GET x (after line " + entries.size() + "): connection reset");
        assertThat(entries).isNotEmpty().hasSizeLessThan(40);
    }

    @Test
    void progressCountsTheBytesOfTheLinesHandedOver() {
        byte[] bytes = (String.join("\r\n", chain(30)) + "\r\n\n").getBytes(StandardCharsets.UTF_8);
        ExportReader reader = new ExportReader(new ByteArrayInputStream(bytes), "export.jsonl", 64, 2);
        List<Long> progress = new ArrayList<>();
        reader.read(line -> progress.add(reader.bytesRead()));
        assertThat(progress).isSorted().hasSize(30);
        assertThat(reader.bytesRead()).isEqualTo(bytes.length);
    }

    // ---- the two ways of reading ----

    /** Reading as the verifier did before: a strict decoder, readLine, the BOM, isBlank, Jackson, LedgerEntry.fromJson. */
    private static List<String> sequential(byte[] file) {
        List<String> out = new ArrayList<>();
        var utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(new ByteArrayInputStream(file), utf8))) {
            long lineNumber = 0;
            String line;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (lineNumber == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                if (line.isBlank()) {
                    continue;
                }
                try {
                    out.add(describe(LedgerEntry.fromJson(JsonInput.MAPPER.readTree(line))));
                } catch (JsonProcessingException e) {
                    out.add("error: export.jsonl line " + lineNumber + ": malformed JSON: " + e.getOriginalMessage());
                    return out;
                } catch (IllegalArgumentException e) {
                    out.add("error: export.jsonl line " + lineNumber + " is not a ledger entry: " + e.getMessage());
                    return out;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static List<String> parallel(byte[] file, int chunkSize, int workers) {
        List<String> out = new ArrayList<>();
        ExportReader reader = new ExportReader(new ByteArrayInputStream(file), "export.jsonl", chunkSize, workers);
        try {
            reader.read(line -> {
                LedgerEntry entry = line.entry();
                CheckedLines checked = line.checked();
                if (checked != null) {
                    int i = line.checkedIndex();
                    assertThat(checked.sequence(i)).isEqualTo(entry.sequence());
                    assertThat(checked.entryHash(i)).isEqualTo(entry.entryHash());
                    assertThat(checked.prevEntryHash(i)).isEqualTo(entry.prevEntryHash());
                    assertThat(checked.organisationId(i)).isEqualTo(entry.organisationId());
                    assertThat(checked.hasContent(i)).isEqualTo(entry.hasContent());
                }
                out.add(describe(entry));
                return true;
            });
        } catch (InputError e) {
            out.add("error: " + e.getMessage());
        }
        return out;
    }

    private static String describe(LedgerEntry entry) {
        return entry.toString();
    }

    /** A valid chain in the export's own form; every fourth entry's content is withheld. */
    private static List<String> chain(int length) {
        List<String> lines = new ArrayList<>();
        String prev = null;
        for (int i = 1; i <= length; i++) {
            ObjectNode metadata = JsonNodeFactory.instance.objectNode().put("fund_id", "fund_" + i % 3)
                    .put("donation_id", "don_" + i);
            LedgerEntry entry = LedgerHashes.seal("led_" + i, "org_1", i, "donation_received", 100 + i, "EUR",
                    "public_full", metadata, "2026-01-01T00:00:00." + String.format("%06d", i) + "Z", prev);
            lines.add(LedgerVectors.toJson(i % 4 == 0 ? entry.withoutContent().toJson(false) : entry.toJson(true)));
            prev = entry.entryHash();
        }
        return lines;
    }
}
