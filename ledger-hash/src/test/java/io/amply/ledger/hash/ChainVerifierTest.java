package io.amply.ledger.hash;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ChainVerifier, fed entries (accept) or checked lines (tryAccept, then accept when those do not
 * follow on, as the command-line verifier does), reaches the verdict the original code reached:
 * same first bad sequence, same reason, same head, same counts.
 */
class ChainVerifierTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void everyWayOfFeedingAChainGivesTheReferenceVerdict() {
        Random random = new Random(42);
        List<String> chain = chain(60, random);
        List<List<String>> cases = new ArrayList<>();
        cases.add(chain);
        cases.add(List.of());
        for (int at : new int[]{0, 1, 30, 59}) {
            cases.add(edit(chain, at, line -> line.replace("\"amount\":", "\"amount\":1").replace(":1-", ":-1")));
            cases.add(edit(chain, at, line -> line.replace("\"org_1\"", "\"org_2\"")));
            cases.add(edit(chain, at, line -> line.replace("\"prev_entry_hash\":\"sha256:", "\"prev_entry_hash\":\"sha256:0")
                    .replace("\"prev_entry_hash\":null", "\"prev_entry_hash\":\"" + hash('0') + "\"")));
            cases.add(edit(chain, at, line -> line.replace("\"entry_hash\":\"sha256:", "\"entry_hash\":\"sha256:f")));
            cases.add(edit(chain, at, line -> line.replace("\"content_hash\":\"sha256:", "\"content_hash\":\"SHA256:")));
            cases.add(edit(chain, at, line -> line.replace("\"created_at\":\"2026-", "\"created_at\":\"2026-13")));
            cases.add(edit(chain, at, line -> line.replace(",", ", ")));
            cases.add(edit(chain, at, line -> line.replace("\"metadata\":{", "\"metadata\":{\"\\u0061\":1,")));
            cases.add(without(chain, at));
            cases.add(edit(chain, at, line -> line.replace("\"prev_entry_hash\":null,", "")));
            if (at > 0) {
                cases.add(swap(chain, at - 1, at));
                List<String> repeated = new ArrayList<>(chain);
                repeated.add(at, chain.get(at - 1));
                cases.add(repeated);
            }
        }
        // a first entry without an organisation (only the reference path reads it), then checked lines
        LedgerEntry orphan = Reference.seal(new LedgerEntry("led_0", null, 1, "fee", 1L, "EUR", "public_full",
                NODES.objectNode(), "2026-01-01T00:00:00.000000Z", null, null, null), null);
        List<String> orphaned = new ArrayList<>(List.of(json(orphan)));
        String prev = orphan.entryHash();
        for (int i = 2; i <= 5; i++) {
            LedgerEntry next = Reference.seal(entry(i, i, NODES.objectNode().put("i", i)), prev);
            orphaned.add(json(next));
            prev = next.entryHash();
        }
        cases.add(orphaned);

        for (List<String> lines : cases) {
            Reference.Verifier reference = new Reference.Verifier();
            ChainVerifier byEntry = new ChainVerifier();
            ChainVerifier byLine = new ChainVerifier();
            ExportLineChecker checker = new ExportLineChecker();
            CheckedLines checked = new CheckedLines(4);
            boolean referenceGood = true;
            boolean entryGood = true;
            boolean lineGood = true;
            for (String line : lines) {
                LedgerEntry entry = parse(line);
                referenceGood = reference.accept(entry);
                entryGood = byEntry.accept(entry);
                byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
                int index = checker.check(bytes, 0, bytes.length, checked);
                lineGood = index >= 0 && byLine.tryAccept(checked, index) || byLine.accept(entry);
                assertThat(entryGood).isEqualTo(referenceGood);
                assertThat(lineGood).isEqualTo(referenceGood);
                if (!referenceGood) {
                    break;
                }
            }
            assertThat(byEntry.verdict()).isEqualTo(reference.verdict());
            assertThat(byLine.verdict()).isEqualTo(reference.verdict());
            assertThat(byEntry.withheldEntries()).isEqualTo(reference.withheldEntries());
            assertThat(byLine.withheldEntries()).isEqualTo(reference.withheldEntries());
        }
    }

    @Test
    void aBrokenChainAcceptsNothingMore() {
        List<String> chain = chain(3, new Random(1));
        ChainVerifier verifier = new ChainVerifier();
        verifier.accept(parse(chain.get(1)));
        CheckedLines checked = new CheckedLines();
        byte[] bytes = chain.get(0).getBytes(StandardCharsets.UTF_8);
        int index = new ExportLineChecker().check(bytes, 0, bytes.length, checked);
        assertThat(index).isZero();
        assertThat(verifier.tryAccept(checked, index)).isFalse();
        assertThat(verifier.accept(parse(chain.get(0)))).isFalse();
        assertThat(verifier.verdict().firstBadSequence()).isEqualTo(1);
    }

    /** A valid chain of one organisation; every third entry's content is withheld. */
    private static List<String> chain(int length, Random random) {
        List<String> lines = new ArrayList<>();
        String prev = null;
        for (int i = 1; i <= length; i++) {
            ObjectNode metadata = NODES.objectNode().put("fund_id", "fund_" + random.nextInt(5)).put("n", random.nextInt());
            LedgerEntry sealed = Reference.seal(entry(i, random.nextInt(1_000_000) - 500_000, metadata), prev);
            lines.add(i % 3 == 0 ? json(sealed.withoutContent().toJson(false)) : json(sealed));
            prev = sealed.entryHash();
        }
        return lines;
    }

    private static LedgerEntry entry(long sequence, long amount, ObjectNode metadata) {
        return new LedgerEntry("led_" + sequence, "org_1", sequence, "donation_received", amount, "EUR", "public_full",
                metadata, "2026-01-0" + (1 + sequence % 9) + "T00:00:00.000000Z", null, null, null);
    }

    private static List<String> edit(List<String> lines, int at, UnaryOperator<String> change) {
        List<String> edited = new ArrayList<>(lines);
        edited.set(at, change.apply(lines.get(at)));
        return edited;
    }

    private static List<String> without(List<String> lines, int at) {
        List<String> edited = new ArrayList<>(lines);
        edited.remove(at);
        return edited;
    }

    private static List<String> swap(List<String> lines, int a, int b) {
        List<String> edited = new ArrayList<>(lines);
        edited.set(a, lines.get(b));
        edited.set(b, lines.get(a));
        return edited;
    }

    private static String hash(char c) {
        return "sha256:" + String.valueOf(c).repeat(64);
    }

    private static String json(LedgerEntry entry) {
        return json(entry.toJson(true));
    }

    private static String json(ObjectNode node) {
        try {
            return Jcs.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static LedgerEntry parse(String line) {
        try {
            return LedgerEntry.fromJson(Jcs.MAPPER.readTree(line));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
