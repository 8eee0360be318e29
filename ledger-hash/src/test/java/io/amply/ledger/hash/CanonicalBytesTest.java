package io.amply.ledger.hash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The byte writer behind the hashes gives exactly {@code Jcs.canonicalize(x).getBytes(UTF_8)}. */
class CanonicalBytesTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @ParameterizedTest
    @ValueSource(strings = {"arrays", "french", "structures", "unicode", "values", "weird"})
    void writesTheRfcAuthorsVectorsByteForByte(String name) throws Exception {
        // given
        JsonNode input = Jcs.MAPPER.readTree(Vectors.text("jcs/input/" + name + ".json"));

        // when
        byte[] written = canonical(input);

        // then
        assertThat(new String(written, StandardCharsets.UTF_8)).isEqualTo(Vectors.text("jcs/output/" + name + ".json"));
        assertThat(written).isEqualTo(Jcs.canonicalize(input).getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @MethodSource("trickyValues")
    void writesWhatJcsWritesForTrickyValues(JsonNode value) {
        String jcs;
        try {
            jcs = Jcs.canonicalize(value);
        } catch (IllegalArgumentException e) {
            // what Jcs refuses (1E+400 is Infinity as a double), this refuses the same way
            assertThatThrownBy(() -> canonical(value)).isInstanceOf(IllegalArgumentException.class).hasMessage(e.getMessage());
            return;
        }
        assertThat(canonical(value)).isEqualTo(jcs.getBytes(StandardCharsets.UTF_8));
    }

    static List<JsonNode> trickyValues() {
        List<JsonNode> values = new ArrayList<>();
        // strings: every control character, quote, backslash, slash, DEL, non-ASCII, astral, lone surrogates
        StringBuilder controls = new StringBuilder();
        for (char c = 0; c < 0x20; c++) {
            controls.append(c);
        }
        for (String s : List.of(controls.toString(), "\"\\/\u007f", "Für die Kinder – 😀", "\u2028\u2029\uFEFF\uFFFF",
                "\uD83D", "\uDE00", "x\uDE00\uD83Dy", "\uD83D\uD83D\uDE00", "", "ß".repeat(300), "😀".repeat(200))) {
            values.add(NODES.textNode(s));
        }
        // numbers of every node type
        values.add(NODES.numberNode(0));
        values.add(NODES.numberNode(-1));
        values.add(NODES.numberNode(Integer.MIN_VALUE));
        values.add(NODES.numberNode(9_007_199_254_740_991L));
        values.add(NODES.numberNode(-9_007_199_254_740_991L));
        values.add(NODES.numberNode(9_007_199_254_740_993L));
        values.add(NODES.numberNode(Long.MAX_VALUE));
        values.add(NODES.numberNode(Long.MIN_VALUE));
        values.add(NODES.numberNode((short) 7));
        values.add(NODES.numberNode(new BigInteger("123456789012345678901234567890")));
        values.add(NODES.numberNode(new BigDecimal("1.50")));
        values.add(NODES.numberNode(new BigDecimal("1E+400")));
        for (double d : new double[]{0.0, -0.0, 0.1, 1e21, 1e20, 1e-6, 1e-7, 5e-324, 1.7976931348623157e308, -5e-7, 2.5}) {
            values.add(NODES.numberNode(d));
        }
        values.add(NODES.numberNode(0.1f));
        values.add(NODES.booleanNode(true));
        values.add(NODES.booleanNode(false));
        values.add(NODES.nullNode());
        values.add(NODES.missingNode());
        // containers: empty, nested, key order by UTF-16 code units (an astral key sorts before U+E000)
        values.add(NODES.objectNode());
        values.add(NODES.arrayNode());
        ObjectNode keys = NODES.objectNode();
        for (String key : List.of("\uE000", "😀", "a", "A", "", "aa", "ab", "é", "\u0000", "Z", "b\"", "\\")) {
            keys.put(key, key.length());
        }
        values.add(keys);
        ObjectNode nested = NODES.objectNode();
        nested.putArray("list").add(1).add("two").addNull().addObject().put("z", 1).put("y", false);
        nested.putObject("deeper").putObject("still").putArray("x").addArray().add(NODES.objectNode());
        nested.put("amount", -0.0);
        values.add(nested);
        // more members than the insertion sort handles
        ObjectNode many = NODES.objectNode();
        Random random = new Random(1);
        for (int i = 0; i < 100; i++) {
            many.put("k" + random.nextInt(1_000_000), i);
        }
        values.add(many);
        return values;
    }

    @Test
    void refusesWhatJcsRefuses() {
        assertThatThrownBy(() -> canonical(NODES.numberNode(Double.NaN)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("NaN and Infinity are not JSON numbers");
        assertThatThrownBy(() -> canonical(NODES.pojoNode(new Object())))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("not a JSON value: POJO");
    }

    @Test
    void theContentIsHashedAsJcsOfContentWouldBe() {
        // given: entries with tricky metadata and the fields the content takes
        List<LedgerEntry> entries = new ArrayList<>();
        for (JsonNode value : trickyValues()) {
            if (value.isNumber() && !Double.isFinite(value.doubleValue())) {
                continue;
            }
            ObjectNode metadata = NODES.objectNode();
            metadata.set("value", value);
            metadata.put("fund_id", "fund_1");
            entries.add(entry("led_1", "org_1", 1, 2500L, metadata));
        }
        entries.add(entry("led_😀", null, 9_007_199_254_740_993L, Long.MIN_VALUE, NODES.objectNode()));
        entries.add(entry("led_x", "org_\uD83D", Long.MAX_VALUE, -9_007_199_254_740_991L, NODES.objectNode()));
        entries.add(new LedgerEntry("led_y", "org_1", 3, "fee", -1L, "GBP", null, NODES.objectNode(), null,
                null, null, null));
        LedgerDigest digest = new LedgerDigest();

        for (LedgerEntry entry : entries) {
            // when
            String fast = LedgerDigest.format(digest.content(entry));

            // then
            assertThat(fast).isEqualTo(Reference.contentHash(entry));
            assertThat(LedgerHashes.contentHash(entry.content())).isEqualTo(Reference.contentHash(entry));
        }
    }

    @Test
    void theLinkIsHashedAsJcsOfTheLinkWouldBe() {
        LedgerDigest digest = new LedgerDigest();
        String hash = "sha256:" + "ab".repeat(32);
        for (String[] link : new String[][]{{hash, null}, {hash, hash}, {null, null}, {"x\"\\\u0001😀", "\uDE00"}}) {
            assertThat(LedgerDigest.format(digest.link(link[0], link[1]))).isEqualTo(Reference.entryHash(link[0], link[1]));
            assertThat(LedgerHashes.entryHash(link[0], link[1])).isEqualTo(Reference.entryHash(link[0], link[1]));
        }
    }

    @Test
    void aCheckpointsSignedBytesAreJcsOfItsBody() {
        Checkpoint published = Checkpoint.fromJson(Vectors.json("ledger-v1/checkpoint.json"));
        List<Checkpoint> checkpoints = List.of(published,
                new Checkpoint(null, null, 0, null, null, null, null),
                new Checkpoint("chk", "org_\"é😀\u0001\uD800", Long.MAX_VALUE, "sha256:x", "2026", "k\\", "sig"),
                new Checkpoint("chk", "org", -9_007_199_254_740_993L, "", "", "", ""));
        for (Checkpoint checkpoint : checkpoints) {
            assertThat(checkpoint.signedBytes()).isEqualTo(Jcs.canonicalize(checkpoint.body()).getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void aDigestMatchesOnlyItsOwnLowercaseHex() {
        byte[] digest = new LedgerDigest().link("a", "b").clone();
        String hash = LedgerDigest.format(digest);
        assertThat(LedgerDigest.matches(digest, hash)).isTrue();
        assertThat(LedgerDigest.matches(digest, hash.toUpperCase().replace("SHA256", "sha256"))).isFalse();
        assertThat(LedgerDigest.matches(digest, hash.substring(0, 70) + (hash.charAt(70) == '0' ? '1' : '0'))).isFalse();
        assertThat(LedgerDigest.matches(digest, hash + "0")).isFalse();
        assertThat(LedgerDigest.matches(digest, "sha512" + hash.substring(6))).isFalse();
        assertThat(LedgerDigest.matches(digest, null)).isFalse();
    }

    @Test
    void isHashAgreesWithTheRegex() {
        String good = "sha256:" + "0123456789abcdef".repeat(4);
        List<String> candidates = new ArrayList<>(List.of(good, good.toUpperCase(), good + "\n", good.substring(1),
                "sha256:" + "g".repeat(64), "", "sha256:", "sha257" + good.substring(6), good.replace('a', '\u0661')));
        for (int i = 7; i < good.length(); i++) {
            for (char c : new char[]{'/', ':', '@', 'A', 'F', '`', 'g', '\u00e0', '\u0100', '0', 'f'}) {
                candidates.add(good.substring(0, i) + c + good.substring(i + 1));
            }
        }
        for (String candidate : candidates) {
            assertThat(LedgerHashes.isHash(candidate)).as(candidate).isEqualTo(Reference.isHash(candidate));
            byte[] bytes = candidate.getBytes(StandardCharsets.UTF_8);
            assertThat(LedgerHashes.isHash(bytes, 0, bytes.length)).as(candidate).isEqualTo(Reference.isHash(candidate));
        }
        assertThat(LedgerHashes.isHash(null)).isFalse();
    }

    private static LedgerEntry entry(String id, String organisation, long sequence, long amount, ObjectNode metadata) {
        return new LedgerEntry(id, organisation, sequence, "donation_received", amount, "EUR", "public_full", metadata,
                "2026-01-01T00:00:00.000000Z", null, null, null);
    }

    private static byte[] canonical(JsonNode node) {
        CanonicalBytes out = new CanonicalBytes();
        out.ascii("garbage");
        out.reset();
        out.value(node);
        return out.toByteArray();
    }
}
