package io.amply.ledger.hash;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checker is a fast path: it may leave any line to the reference path (-1), but a line it
 * takes must be one the reference path reads the same way and finds good on its own.
 */
class ExportLineCheckerTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private final ExportLineChecker checker = new ExportLineChecker();
    private int taken;

    @Test
    void takesTheConformanceChainsLinesWithoutEscapesAndItsPublicView() {
        for (String line : lines(Vectors.text("ledger-v1/chain.jsonl"))) {
            if (line.contains("\\")) {
                // an escape ("Well Co \"North\""): for the reference path
                assertThat(check(line)).isEqualTo(-1);
            } else {
                assertTakenAndSound(line);
            }
            LedgerEntry entry = parse(line);
            if (!entry.visibility().equals("public_full")) {
                assertTakenAndSound(json(entry.withoutContent().toJson(false)));
            }
        }
    }

    @Test
    void takesLinesInTheExportsOwnFormWithAnyMetadataItCanCanonicalize() {
        List<ObjectNode> metadata = new ArrayList<>();
        metadata.add(NODES.objectNode());
        metadata.add(object().put("fund_id", "fund_1").put("donation_id", "don_2").put("payment_method", "card"));
        metadata.add(object().put("note", "Für die Kinder – 😀 \u2028").put("zero", 0).put("negative", -123456789012345L)
                .put("t", true).put("f", false).putNull("n"));
        ObjectNode nested = object();
        nested.putArray("list").add(1).add("two").addNull().addArray().addObject().put("z", 1).put("a", 2);
        nested.putObject("b").putObject("a").put("y", "x").put("x", "y");
        nested.putObject("B");
        nested.put("", "empty name").put("a b", 1).put("~", 2).put("A", 3).put("_", 4);
        metadata.add(nested);
        ObjectNode many = object();
        for (int i = 40; i > 0; i--) {
            many.put("k" + (i * 7919 % 97), i);
        }
        metadata.add(many);
        String prev = null;
        for (int i = 0; i < metadata.size(); i++) {
            LedgerEntry sealed = Reference.seal(entry(i + 1, 1000L * i - 2000, metadata.get(i)), prev);
            assertTakenAndSound(json(sealed.toJson(true)));
            assertTakenAndSound(json(sealed.withoutContent().toJson(false)));
            prev = sealed.entryHash();
        }
    }

    @Test
    void leavesLinesOutsideItsSubsetToTheReferencePath() {
        LedgerEntry sealed = Reference.seal(entry(2, 0, object().put("a", 1).put("b", "x")), hash('1'));
        String line = json(sealed.toJson(true));
        // -0 is the integer 0 to Jackson too: taking it is allowed, and must be sound
        assertSound(line.replace("\"amount\":0", "\"amount\":-0").getBytes(StandardCharsets.UTF_8));
        List<String> variants = List.of(
                line.replace("\"amount\":0", "\"amount\":0.0"),
                line.replace("\"amount\":0", "\"amount\":0e0"),
                line.replace("\"amount\":0", "\"amount\":00"),
                line.replace("\"sequence\":2", "\"sequence\":2.0"),
                line.replace("\"sequence\":2", "\"sequence\":02"),
                line.replace("\"sequence\":2", "\"sequence\":+2"),
                line.replace("\"sequence\":2", "\"sequence\":\"2\""),
                line.replace("\"b\":\"x\"", "\"b\":\"\\u0078\""),
                line.replace("\"b\":\"x\"", "\"\\u0062\":\"x\""),
                line.replace("\"a\":1", "\"a\":1,\"a\":1"),
                line.replace("\"id\":", "\"id\":\"x\",\"id\":"),
                line.replace("\"id\":", "\"unknown\":1,\"id\":"),
                line.replace("{\"a\":1", "{\"a\":1,"),
                line.replace("\"a\":1", "\"a\":1.5"),
                line.replace("\"a\":1", "\"a\":12345678901234567"),
                line.replace("\"a\":1", "\"a\":tru"),
                line.replace("\"a\":1", "\"a\":nulll"),
                line.replace("\"a\":1", "\"a\":[1,]"),
                line.replace("\"a\":1", "\"a\":\"x\u0001\""),
                line.replace("\"a\":1", "\"é\":1"),
                line.replace("\"metadata\":{", "\"metadata\":[{").replace("},\"created_at\"", "}],\"created_at\""),
                line.replace("\"type\":\"donation_received\",", ""),
                line.replace("\"currency\":\"EUR\",", "\"currency\":null,"),
                line.replace("\"prev_entry_hash\":", "\"prev_entry_hash\":\"x\",\"other\":"),
                line.replace(",", ", \f"),
                line.replace(",", ",\u00a0"),
                line.replace(",", ",\r\n"),
                line + "x", line + "{}", line + ",", "\uFEFF" + line, line.substring(0, line.length() - 1),
                "[" + line + "]", "", " ", "{}", "null");
        for (String variant : variants) {
            assertThat(check(variant)).as(variant).isEqualTo(-1);
            assertSound(variant.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void takesFormattingThatKeepsTheMeaning() {
        LedgerEntry sealed = Reference.seal(entry(2, 10, object().put("a", 1).put("b", "x")), hash('2'));
        String line = json(sealed.toJson(true));
        for (String variant : List.of(line.replace(",", " ,\t"), line.replace("\":", "\" : "), " \t" + line + "\t ",
                line.replace("{", "{ ").replace("}", " }"))) {
            assertTakenAndSound(variant);
        }
    }

    @Test
    void findsTheEndOfALineAsItReads() {
        String line = json(Reference.seal(entry(1, 5, object()), null).toJson(true));
        for (String after : List.of("\n", "\r\n", "\r", "  \n{junk", "\t\r")) {
            byte[] bytes = ("ab" + line + after).getBytes(StandardCharsets.UTF_8);
            CheckedLines lines = new CheckedLines();
            assertThat(checker.checkLineAt(bytes, 2, bytes.length, lines)).isZero();
            int end = checker.lineEnd();
            assertThat(bytes[end] == '\n' || bytes[end] == '\r').isTrue();
            assertThat(new String(bytes, 2, end - 2, StandardCharsets.UTF_8).strip()).isEqualTo(line);
        }
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        assertThat(checker.checkLineAt(bytes, 0, bytes.length, new CheckedLines())).isZero();
        assertThat(checker.lineEnd()).isEqualTo(bytes.length);
        byte[] broken = (line.replace(",", ",\n")).getBytes(StandardCharsets.UTF_8);
        assertThat(checker.checkLineAt(broken, 0, broken.length, new CheckedLines())).isEqualTo(-1);
    }

    @Test
    void takesNoLineThatFailsACheckOnItsOwn() {
        LedgerEntry good = Reference.seal(entry(3, 7, object().put("a", 1)), hash('3'));
        List<LedgerEntry> bad = List.of(
                copy(good, good.id(), good.createdAt(), good.contentHash().replace('a', 'b'), good.prevEntryHash(), good.entryHash()),
                copy(good, good.id(), good.createdAt(), good.contentHash(), good.prevEntryHash(), good.entryHash().replace('a', 'b')),
                copy(good, good.id(), good.createdAt(), good.contentHash().toUpperCase(), good.prevEntryHash(), good.entryHash()),
                copy(good, good.id(), good.createdAt(), good.contentHash(), "not a hash", good.entryHash()),
                copy(good, good.id(), good.createdAt(), good.contentHash(), good.prevEntryHash(), null),
                Reference.seal(copy(good, "led_" + "x".repeat(17), good.createdAt(), null, null, null), hash('3')),
                Reference.seal(copy(good, "led_" + "😀".repeat(9), good.createdAt(), null, null, null), hash('3')),
                Reference.seal(copy(good, good.id(), "2026-02-30T00:00:00.000000Z", null, null, null), hash('3')),
                Reference.seal(copy(good, good.id(), "2026-02-28T00:00:00.000000+00:00", null, null, null), hash('3')));
        for (LedgerEntry entry : bad) {
            String line = json(entry.toJson(true));
            assertThat(check(line)).as(line).isEqualTo(-1);
        }
        // the limits are the reference's: 20 UTF-16 units, and a leap second or 24:00 the reference accepts
        for (String id : List.of("led_" + "x".repeat(16), "led_" + "😀".repeat(8), "led_" + "é".repeat(16))) {
            assertTakenAndSound(json(Reference.seal(copy(good, id, good.createdAt(), null, null, null), hash('3')).toJson(true)));
        }
        for (String time : List.of("2026-12-31T23:59:60.000000Z", "2026-12-31T24:00:00.000000Z", "2024-02-29T00:00:00.000000Z")) {
            String line = json(Reference.seal(copy(good, good.id(), time, null, null, null), hash('3')).toJson(true));
            assertSound(line.getBytes(StandardCharsets.UTF_8));
            assertThat(Reference.problemOnItsOwn(parse(line))).isNull();
        }
    }

    /**
     * A string's bytes are copied into the canonical form as they are, so the checker must take
     * exactly the UTF-8 that Java's strict decoder takes: the line is built with hashes over the
     * raw bytes, valid or not, and taken only when they are valid.
     */
    @Test
    void takesExactlyTheUtf8ThatTheStrictDecoderTakes() {
        List<byte[]> sequences = new ArrayList<>();
        for (int a = 0x80; a <= 0xFF; a++) {
            sequences.add(new byte[]{(byte) a});
            for (int b = 0; b <= 0xFF; b++) {
                if (b != '"' && b != '\\' && b >= 0x20) {
                    sequences.add(new byte[]{(byte) a, (byte) b});
                }
            }
        }
        int[] edges = {0x20, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF};
        for (int a = 0xE0; a <= 0xFF; a++) {
            for (int b = 0x80; b <= 0xBF; b++) {
                for (int c : edges) {
                    sequences.add(new byte[]{(byte) a, (byte) b, (byte) c});
                    if (a >= 0xF0) {
                        for (int d : edges) {
                            sequences.add(new byte[]{(byte) a, (byte) b, (byte) c, (byte) d});
                        }
                    }
                }
            }
            for (int b : edges) {
                sequences.add(new byte[]{(byte) a, (byte) b, (byte) 0x80, (byte) 0x80});
            }
        }
        int valid = 0;
        for (byte[] sequence : sequences) {
            byte[] line = rawLine(sequence);
            boolean decodes = decodes(line);
            CheckedLines lines = new CheckedLines();
            assertThat(checker.check(line, 0, line.length, lines) >= 0).as(hex(sequence)).isEqualTo(decodes);
            if (decodes) {
                valid++;
                assertSound(line);
            }
        }
        assertThat(valid).isGreaterThan(1000);
    }

    /** Mutations of good lines, byte by byte: whatever the checker takes, the reference takes the same way. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void anyMutationItTakesIsOneTheReferenceReadsTheSameWay(int which) {
        String line = switch (which) {
            case 0 -> lines(Vectors.text("ledger-v1/chain.jsonl")).get(0);
            case 1 -> json(Reference.seal(entry(9, 0, object().put("n", 0).put("m", -5).putNull("z")
                    .put("t", true)), null).toJson(true));
            default -> json(Reference.seal(entry(12, 3, object()), hash('c')).withoutContent().toJson(false));
        };
        byte[] original = line.getBytes(StandardCharsets.UTF_8);
        byte[] interesting = {'"', '\\', '{', '}', '[', ']', ',', ':', ' ', '\t', '0', '1', '9', '-', '+', '.', 'e', 'E',
                'a', 'n', 't', 'f', 'u', 0x00, 0x1F, 0x7F, (byte) 0x80, (byte) 0xC3, (byte) 0xFF, '\n', '\r'};
        int before = taken;
        for (int i = 0; i <= original.length; i++) {
            assertSound(java.util.Arrays.copyOf(original, i));
            if (i < original.length) {
                assertSound(remove(original, i));
            }
            for (byte b : interesting) {
                assertSound(insert(original, i, b));
                if (i < original.length) {
                    byte[] replaced = original.clone();
                    replaced[i] = b;
                    assertSound(replaced);
                }
            }
        }
        Random random = new Random(which);
        for (int n = 0; n < 5_000; n++) {
            byte[] mutated = original.clone();
            for (int k = 1 + random.nextInt(3); k > 0; k--) {
                mutated[random.nextInt(mutated.length)] = interesting[random.nextInt(interesting.length)];
            }
            assertSound(mutated);
        }
        // whitespace in the right places keeps the line good, so some mutations are taken
        assertThat(taken - before).isGreaterThan(10);
    }

    @Test
    void theFieldCheckTakesAWholeEntryGivenAsItsValues() {
        // given: the conformance chain's entries without escapes, as a database row gives them
        int checked = 0;
        for (String line : lines(Vectors.text("ledger-v1/chain.jsonl"))) {
            if (line.contains("\\")) {
                continue;
            }
            LedgerEntry entry = parse(line);

            // when
            CheckedLines lines = new CheckedLines();
            int index = checkFields(fieldsOf(entry), entry.sequence(), entry.amount(), lines);

            // then
            assertThat(index).as(line).isGreaterThanOrEqualTo(0);
            assertThat(lines.sequence(index)).isEqualTo(entry.sequence());
            assertThat(lines.organisationId(index)).isEqualTo(entry.organisationId());
            assertThat(lines.prevEntryHash(index)).isEqualTo(entry.prevEntryHash());
            assertThat(lines.entryHash(index)).isEqualTo(entry.entryHash());
            assertThat(lines.hasContent(index)).isTrue();
            checked++;
        }
        assertThat(checked).isEqualTo(2); // the other lines of the chain have escapes
    }

    @Test
    void theFieldCheckLeavesNullsOtherThanTheFirstPrevEntryHashToTheReferencePath() {
        LedgerEntry good = Reference.seal(entry(1, 5, object()), null);
        for (int member = 0; member < 12; member++) {
            byte[][] fields = fieldsOf(good);
            if (member == 10) {
                continue; // prev_entry_hash: null is the first entry's
            }
            fields[member] = null;
            assertThat(checkFields(fields, good.sequence(), good.amount(), new CheckedLines())).as("member %d", member).isEqualTo(-1);
        }
    }

    @Test
    void theFieldCheckTakesIntegersOfUpToFifteenDigitsAndLeavesLongerOnesToTheReferencePath() {
        // given: amounts at the fast subset's edge, and one beyond 2^53 - 1 (which the reference refuses)
        LedgerEntry fifteen = Reference.seal(entry(1, -999_999_999_999_999L, object()), null);
        LedgerEntry sixteen = Reference.seal(entry(1, 1_000_000_000_000_000L, object()), null);
        LedgerEntry unsafe = Reference.seal(entry(1, LedgerHashes.MAX_SAFE_INTEGER + 1, object()), null);

        // then
        assertThat(checkFields(fieldsOf(fifteen), 1, fifteen.amount(), new CheckedLines())).isGreaterThanOrEqualTo(0);
        assertThat(checkFields(fieldsOf(sixteen), 1, sixteen.amount(), new CheckedLines())).isEqualTo(-1);
        assertThat(Reference.problemOnItsOwn(sixteen)).isNull();
        assertThat(checkFields(fieldsOf(unsafe), 1, unsafe.amount(), new CheckedLines())).isEqualTo(-1);
        assertThat(Reference.problemOnItsOwn(unsafe)).isEqualTo("amount");
    }

    @Test
    void theFieldCheckLeavesAnEntryLargerThanALineMayBeToTheReferencePath() {
        // given: a correctly sealed entry whose metadata alone is over a million bytes
        LedgerEntry huge = Reference.seal(entry(1, 5, object().put("note", "x".repeat(1_000_001))), null);
        LedgerEntry large = Reference.seal(entry(1, 5, object().put("note", "x".repeat(900_000))), null);

        // then
        assertThat(checkFields(fieldsOf(huge), 1, 5, new CheckedLines())).isEqualTo(-1);
        assertThat(checkFields(fieldsOf(large), 1, 5, new CheckedLines())).isGreaterThanOrEqualTo(0);
    }

    /** Mutating the values byte by byte: whatever the field check takes, the reference reads the same way and finds good. */
    @Test
    void anyMutatedValueTheFieldCheckTakesIsOneTheReferenceFindsGood() {
        LedgerEntry good = Reference.seal(entry(9, -5, object().put("fund_id", "fund_1").put("n", 0).putNull("z")
                .put("t", true).put("note", "Für 😀")), hash('a'));
        byte[] interesting = {'"', '\\', '{', '}', '[', ']', ',', ':', ' ', '\t', '0', '9', '-', '.', 'e', 'a', 'n', 't',
                0x00, 0x1F, 0x7F, (byte) 0x80, (byte) 0xC3, (byte) 0xFF, '\n'};
        Random random = new Random(11);
        int takenMutations = 0;
        for (int n = 0; n < 20_000; n++) {
            byte[][] fields = fieldsOf(good);
            int member = random.nextInt(12);
            if (fields[member] != null && fields[member].length > 0) {
                byte[] value = fields[member];
                int at = random.nextInt(value.length);
                byte b = interesting[random.nextInt(interesting.length)];
                fields[member] = switch (random.nextInt(3)) {
                    case 0 -> insert(value, at, b);
                    case 1 -> remove(value, at);
                    default -> {
                        byte[] replaced = value.clone();
                        replaced[at] = b;
                        yield replaced;
                    }
                };
            }
            long sequence = member == 2 ? random.nextLong() : good.sequence();
            long amount = member == 4 ? random.nextLong() % 1_000_000_000_000_000L : good.amount();
            if (checkFields(fields, sequence, amount, new CheckedLines()) < 0) {
                continue;
            }
            takenMutations++;
            LedgerEntry entry = reference(fields, sequence, amount);
            assertThat(Reference.problemOnItsOwn(entry)).as(entry.toString()).isNull();
            assertThat(entry.contentHash()).isEqualTo(good.contentHash());
        }
        // spaces in the metadata keep the entry good, so some mutations are taken
        assertThat(takenMutations).isGreaterThan(10);
    }

    // ---- helpers ----

    private int check(String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        return checker.check(bytes, 0, bytes.length, new CheckedLines());
    }

    private void assertTakenAndSound(String line) {
        assertThat(check(line)).as(line).isGreaterThanOrEqualTo(0);
        assertSound(line.getBytes(StandardCharsets.UTF_8));
    }

    /** When the checker takes the line, the reference parses it to the same entry and finds it good on its own. */
    private void assertSound(byte[] line) {
        CheckedLines lines = new CheckedLines();
        lines.add(new byte[0], 0, false, 0, 0, -1, 0);
        int index = checker.check(line, 0, line.length, lines);
        // Read in a buffer, up to its line end, the same line is taken or left the same way.
        boolean oneLine = true;
        for (byte b : line) {
            oneLine &= b != '\n' && b != '\r';
        }
        int atIndex = -1;
        if (oneLine) {
            byte[] inBuffer = new byte[line.length + 3];
            System.arraycopy(line, 0, inBuffer, 1, line.length);
            inBuffer[line.length + 1] = '\n';
            atIndex = checker.checkLineAt(inBuffer, 1, inBuffer.length, lines);
            assertThat(atIndex >= 0).as(new String(line, StandardCharsets.UTF_8)).isEqualTo(index >= 0);
        }
        if (index < 0) {
            return;
        }
        assertThat(oneLine).isTrue();
        assertThat(checker.lineEnd()).isEqualTo(line.length + 1);
        taken++;
        String text = new String(line, StandardCharsets.UTF_8);
        assertThat(decodes(line)).as(text).isTrue();
        LedgerEntry entry;
        try {
            entry = LedgerEntry.fromJson(Jcs.MAPPER.readTree(text));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new AssertionError("taken, but the reference cannot read it: " + text, e);
        }
        assertThat(Reference.problemOnItsOwn(entry)).as(text).isNull();
        for (int i : new int[]{index, atIndex}) {
            if (i < 0) {
                continue;
            }
            assertThat(lines.sequence(i)).isEqualTo(entry.sequence());
            assertThat(lines.organisationId(i)).isEqualTo(entry.organisationId());
            assertThat(lines.prevEntryHash(i)).isEqualTo(entry.prevEntryHash());
            assertThat(lines.entryHash(i)).isEqualTo(entry.entryHash());
            assertThat(lines.hasContent(i)).isEqualTo(entry.hasContent());
        }
    }

    /** An entry's values as a database row gives them: strings as UTF-8, the metadata with spaces as jsonb printed it. */
    private static byte[][] fieldsOf(LedgerEntry e) {
        String metadata = json(e.metadata()).replace("\":", "\": ").replace(",\"", ", \"");
        String[] values = {e.id(), e.organisationId(), "", e.type(), "", e.currency(), e.visibility(), metadata,
                e.createdAt(), e.contentHash(), e.prevEntryHash(), e.entryHash()};
        byte[][] fields = new byte[values.length][];
        for (int i = 0; i < values.length; i++) {
            fields[i] = values[i] == null ? null : values[i].getBytes(StandardCharsets.UTF_8);
        }
        return fields;
    }

    /** Lays the values out one after another, at an offset, as a caller's buffer would hold them. */
    private int checkFields(byte[][] fields, long sequence, long amount, CheckedLines into) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write('x');
        int[] ranges = new int[3 + 24];
        for (int member = 0; member < fields.length; member++) {
            if (fields[member] == null) {
                ranges[3 + 2 * member] = -1;
                ranges[3 + 2 * member + 1] = -1;
            } else {
                ranges[3 + 2 * member] = bytes.size();
                bytes.writeBytes(fields[member]);
                ranges[3 + 2 * member + 1] = bytes.size();
            }
        }
        bytes.write('x');
        return checker.checkFields(bytes.toByteArray(), ranges, 3, sequence, amount, into);
    }

    /** The entry the reference reads from the values (they must decode; the metadata must be an object). */
    private static LedgerEntry reference(byte[][] fields, long sequence, long amount) {
        String[] text = new String[fields.length];
        for (int i = 0; i < fields.length; i++) {
            if (fields[i] != null) {
                assertThat(decodes(fields[i])).as("member %d", i).isTrue();
                text[i] = new String(fields[i], StandardCharsets.UTF_8);
            }
        }
        JsonNode metadata;
        try {
            metadata = Jcs.MAPPER.readTree(text[7]);
        } catch (JsonProcessingException e) {
            throw new AssertionError("taken, but the reference cannot read the metadata: " + text[7], e);
        }
        assertThat(metadata.isObject()).isTrue();
        return new LedgerEntry(text[0], text[1], sequence, text[3], amount, text[5], text[6], (ObjectNode) metadata,
                text[8], text[9], text[10], text[11]);
    }

    private static boolean decodes(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** A line whose metadata note is {@code raw}, hashed over the raw bytes as the canonical form would hold them. */
    private static byte[] rawLine(byte[] raw) {
        byte[] content = concat("{\"amount\":1,\"created_at\":\"2026-01-01T00:00:00.000000Z\",\"currency\":\"EUR\","
                + "\"id\":\"led_1\",\"metadata\":{\"note\":\"", raw, "\"},\"organisation_id\":\"org_1\",\"sequence\":1,"
                + "\"type\":\"t\",\"v\":1,\"visibility\":\"public_full\"}");
        String contentHash = sha256(content);
        String entryHash = Reference.sha256("{\"content_hash\":\"" + contentHash + "\",\"prev_entry_hash\":null}");
        return concat("{\"id\":\"led_1\",\"organisation_id\":\"org_1\",\"sequence\":1,\"type\":\"t\",\"amount\":1,"
                + "\"currency\":\"EUR\",\"visibility\":\"public_full\",\"metadata\":{\"note\":\"", raw,
                "\"},\"created_at\":\"2026-01-01T00:00:00.000000Z\",\"content_hash\":\"" + contentHash
                        + "\",\"prev_entry_hash\":null,\"entry_hash\":\"" + entryHash + "\"}");
    }

    private static String sha256(byte[] bytes) {
        try {
            return "sha256:" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] concat(String before, byte[] middle, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(middle);
        out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static byte[] insert(byte[] bytes, int at, byte b) {
        byte[] out = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, out, 0, at);
        out[at] = b;
        System.arraycopy(bytes, at, out, at + 1, bytes.length - at);
        return out;
    }

    private static byte[] remove(byte[] bytes, int at) {
        byte[] out = new byte[bytes.length - 1];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(bytes, at + 1, out, at, bytes.length - at - 1);
        return out;
    }

    private static String hex(byte[] bytes) {
        return java.util.HexFormat.ofDelimiter(" ").formatHex(bytes);
    }

    private static ObjectNode object() {
        return NODES.objectNode();
    }

    private static String hash(char c) {
        return "sha256:" + String.valueOf(c).repeat(64);
    }

    private static LedgerEntry entry(long sequence, long amount, ObjectNode metadata) {
        return new LedgerEntry("led_" + sequence, "org_1", sequence, "donation_received", amount, "EUR", "public_full",
                metadata, "2026-01-01T00:00:00.000000Z", null, null, null);
    }

    private static LedgerEntry copy(LedgerEntry e, String id, String createdAt, String contentHash, String prev, String entryHash) {
        return new LedgerEntry(id, e.organisationId(), e.sequence(), e.type(), e.amount(), e.currency(), e.visibility(),
                e.metadata(), createdAt, contentHash, prev, entryHash);
    }

    private static List<String> lines(String text) {
        return text.lines().filter(line -> !line.isBlank()).toList();
    }

    private static LedgerEntry parse(String line) {
        try {
            return LedgerEntry.fromJson(Jcs.MAPPER.readTree(line));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String json(JsonNode node) {
        try {
            return Jcs.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
