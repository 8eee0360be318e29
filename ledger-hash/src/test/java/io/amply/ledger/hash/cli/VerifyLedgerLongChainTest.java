package io.amply.ledger.hash.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.amply.ledger.hash.Checkpoint;
import io.amply.ledger.hash.LedgerEntry;
import io.amply.ledger.hash.LedgerHashes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** A chain long enough to span many chunks, with checkpoints inside it: what the parallel reader is for. */
class VerifyLedgerLongChainTest {

    private static final int LENGTH = 5_000;

    @TempDir
    Path dir;

    @Test
    void aLongChainWithItsCheckpointsVerifies() {
        // given
        List<LedgerEntry> chain = chain(LENGTH, 0);

        // when
        CliRun run = CliRun.of("--export", export(chain), "--checkpoints", checkpoints(chain, 1, 2_345, 4_999, 5_000),
                "--jwks", LedgerVectors.copy("jwks.json", dir));

        // then
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("VALID: 5,000 entries of org_xyz789 checked (1,250 with withheld content); head sequence 5000 "
                + chain.get(LENGTH - 1).entryHash() + "; 4 checkpoints verified (latest at sequence 5000, key test-2026-11)\n");
    }

    @Test
    void aChangeDeepInTheChainIsFoundAtItsSequenceAndCheckpointsAreJudgedOnTheGoodPart() {
        // given: entry 3,210's amount changed after the fact
        List<LedgerEntry> chain = new ArrayList<>(chain(LENGTH, 0));
        LedgerEntry genuine = chain.get(3_209);
        chain.set(3_209, new LedgerEntry(genuine.id(), genuine.organisationId(), genuine.sequence(), genuine.type(),
                genuine.amount() + 1, genuine.currency(), genuine.visibility(), genuine.metadata(), genuine.createdAt(),
                genuine.contentHash(), genuine.prevEntryHash(), genuine.entryHash()));
        List<LedgerEntry> signed = chain(LENGTH, 0);

        // when
        CliRun run = CliRun.of("--export", export(chain), "--checkpoints", checkpoints(signed, 3_209, 4_000),
                "--jwks", LedgerVectors.copy("jwks.json", dir));

        // then
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEqualTo("""
                INVALID: chain breaks at sequence 3210: content_hash does not match the entry's content (content was changed)
                INVALID: checkpoint at sequence 4000 (key test-2026-11): the chain verified only up to sequence 3209 \
                (it breaks at 3210), so the checkpoint's entry cannot be checked
                Verified before the break: 3,209 entries of org_xyz789 checked (802 with withheld content); head sequence 3209 \
                """ + signed.get(3_208).entryHash() + """

                Checkpoints: 1 of 2 checkpoints verified (latest at sequence 3209, key test-2026-11)
                """);
    }

    @Test
    void aChainRehashedAfterAChangeIsCaughtByTheCheckpointAfterIt() {
        // given: from entry 2,001 on, a different chain, consistent with itself
        List<LedgerEntry> genuine = chain(LENGTH, 0);
        List<LedgerEntry> forged = new ArrayList<>(genuine.subList(0, 2_000));
        forged.addAll(chain(LENGTH, 1).subList(2_000, LENGTH));
        List<LedgerEntry> rehashed = rehash(forged);

        // when
        CliRun run = CliRun.of("--export", export(rehashed), "--checkpoints", checkpoints(genuine, 2_000, 4_500),
                "--jwks", LedgerVectors.copy("jwks.json", dir));

        // then
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).startsWith("INVALID: checkpoint at sequence 4500 (key test-2026-11): entry 4500 has a"
                + " different entry_hash than the signed checkpoint (the chain was rewritten)\n")
                .contains("The chain's links are consistent: 5,000 entries")
                .contains("Checkpoints: 1 of 2 checkpoints verified (latest at sequence 2000, key test-2026-11)");
    }

    @Test
    void aMissingEntryDeepInTheChainIsFoundWhereItIsMissing() {
        // given
        List<LedgerEntry> chain = new ArrayList<>(chain(LENGTH, 0));
        chain.remove(4_443);

        // when
        CliRun run = CliRun.of("--export", export(chain));

        // then
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).startsWith("INVALID: chain breaks at sequence 4444: expected sequence 4444 but found 4445"
                + " (an entry is missing)\n");
    }

    /** A valid chain of the vectors' organisation; every fourth entry's content withheld; {@code variant} changes amounts. */
    private static List<LedgerEntry> chain(int length, int variant) {
        List<LedgerEntry> entries = new ArrayList<>();
        String prev = null;
        for (int i = 1; i <= length; i++) {
            LedgerEntry entry = LedgerHashes.seal("led_" + i, LedgerVectors.ORGANISATION, i, "donation_received",
                    100 + i + variant, "GBP", i % 4 == 0 ? "internal_only" : "public_full",
                    JsonNodeFactory.instance.objectNode().put("fund_id", "fund_" + i % 7).put("donation_id", "don_" + i),
                    "2026-01-01T00:00:00." + String.format("%06d", i) + "Z", prev);
            entries.add(entry);
            prev = entry.entryHash();
        }
        return entries;
    }

    private static List<LedgerEntry> rehash(List<LedgerEntry> entries) {
        List<LedgerEntry> rehashed = new ArrayList<>();
        String prev = null;
        for (LedgerEntry e : entries) {
            LedgerEntry entry = LedgerHashes.seal(e.id(), e.organisationId(), e.sequence(), e.type(), e.amount(),
                    e.currency(), e.visibility(), e.metadata(), e.createdAt(), prev);
            rehashed.add(entry);
            prev = entry.entryHash();
        }
        return rehashed;
    }

    private Path export(List<LedgerEntry> chain) {
        return LedgerVectors.write(dir, "export.jsonl", chain.stream()
                .map(entry -> LedgerVectors.toJson("public_full".equals(entry.visibility()) ? entry.toJson(true)
                        : entry.withoutContent().toJson(false)))
                .collect(Collectors.joining("\n", "", "\n")));
    }

    private Path checkpoints(List<LedgerEntry> chain, long... sequences) {
        List<String> signed = new ArrayList<>();
        for (long sequence : sequences) {
            Checkpoint checkpoint = LedgerVectors.sign(LedgerVectors.ORGANISATION, sequence,
                    chain.get((int) sequence - 1).entryHash());
            signed.add(LedgerVectors.toJson(checkpoint.toJson()));
        }
        return LedgerVectors.write(dir, "checkpoints.json", "[" + String.join(",\n", signed) + "]");
    }
}
