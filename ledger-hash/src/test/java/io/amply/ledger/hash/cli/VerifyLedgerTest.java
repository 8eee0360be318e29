package io.amply.ledger.hash.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class VerifyLedgerTest {

    private static final String HEAD_HASH = "sha256:4173e04c922110ac918be274f791dbeb75562c56fabe9ef411b8976f18ef04f8";

    @TempDir
    Path dir;

    @Test
    void theConformanceChainWithItsCheckpointVerifies() {
        // given
        Path export = LedgerVectors.copy("chain.jsonl", dir);
        Path checkpoint = LedgerVectors.copy("checkpoint.json", dir);
        Path jwks = LedgerVectors.copy("jwks.json", dir);

        // when
        CliRun run = CliRun.of("--export", export, "--checkpoints", checkpoint, "--jwks", jwks);

        // then
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("VALID: 4 entries of org_xyz789 checked (0 with withheld content); head sequence 4 "
                + HEAD_HASH + "; 1 checkpoint verified (latest at sequence 4, key test-2026-11)\n");
        assertThat(run.err()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"amount-changed.tampered.jsonl", "metadata-changed.tampered.jsonl",
            "entry-deleted.tampered.jsonl", "entries-swapped.tampered.jsonl"})
    void aTamperedCopyFailsAtTheSequenceTheVectorsExpect(String file) {
        // given
        JsonNode expected = LedgerVectors.json("expected.json").get(file);
        Path export = LedgerVectors.copy(file, dir);

        // when
        CliRun run = CliRun.of("--export", export);

        // then
        assertThat(expected.get("chain_valid").booleanValue()).isFalse();
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).startsWith("INVALID: chain breaks at sequence "
                + expected.get("first_bad_sequence").longValue() + ": ");
        assertThat(run.out().lines()).noneMatch(line -> line.startsWith("VALID"));
    }

    @Test
    void aBrokenChainStillHasItsCheckpointsJudgedOnThePartThatVerified() {
        // given: the amount of entry 2 was changed; a checkpoint signs entry 1, another the head
        Path export = LedgerVectors.copy("amount-changed.tampered.jsonl", dir);
        Path checkpoints = LedgerVectors.write(dir, "checkpoints.json", "["
                + LedgerVectors.toJson(LedgerVectors.checkpointAt(1).toJson()) + ","
                + LedgerVectors.text("checkpoint.json") + "]");
        Path jwks = LedgerVectors.copy("jwks.json", dir);

        // when
        CliRun run = CliRun.of("--export", export, "--checkpoints", checkpoints, "--jwks", jwks);

        // then
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out())
                .contains("INVALID: chain breaks at sequence 2: content_hash does not match")
                .contains("INVALID: checkpoint at sequence 4 (key test-2026-11): the chain verified only up to sequence 1")
                .contains("Checkpoints: 1 of 2 checkpoints verified (latest at sequence 1, key test-2026-11)");
    }

    @Test
    void theRehashedForgeryIsCaughtByTheCheckpoint() {
        // given
        Path export = LedgerVectors.copy("rehashed-forgery.tampered.jsonl", dir);
        Path checkpoint = LedgerVectors.copy("checkpoint.json", dir);
        Path jwks = LedgerVectors.copy("jwks.json", dir);

        // when
        CliRun run = CliRun.of("--export", export, "--checkpoints", checkpoint, "--jwks", jwks);

        // then
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out())
                .startsWith("INVALID: checkpoint at sequence 4 (key test-2026-11): entry 4 has a different entry_hash")
                .contains("The chain's links are consistent: 4 entries")
                .contains("Checkpoints: 0 of 1 checkpoints verified")
                .doesNotContain("chain breaks");
    }

    @Test
    void theRehashedForgeryPassesWithoutACheckpointButTheOutputWarnsThatItCould() {
        // given
        Path export = LedgerVectors.copy("rehashed-forgery.tampered.jsonl", dir);

        // when
        CliRun run = CliRun.of("--export", export);

        // then
        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .startsWith("VALID: 4 entries of org_xyz789 checked")
                .contains("no checkpoints checked")
                .contains("WARNING: ")
                .contains("a chain rewritten and re-hashed after a change can only be caught by a signed checkpoint");
    }

    @Test
    void aCheckpointSignedWithAKeyTheJwkSetDoesNotPublishFails() {
        // given
        Path export = LedgerVectors.copy("chain.jsonl", dir);
        Path checkpoint = LedgerVectors.copy("checkpoint.json", dir);
        Path jwks = LedgerVectors.write(dir, "jwks.json",
                LedgerVectors.text("jwks.json").replace(LedgerVectors.KEY_ID, "test-2027-01"));

        // when
        CliRun run = CliRun.of("--export", export, "--checkpoints", checkpoint, "--jwks", jwks);

        // then
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).startsWith("INVALID: checkpoint at sequence 4 (key test-2026-11): ")
                .contains("which the JWK Set does not publish");
    }

    @Test
    void aCheckpointWhoseBodyWasChangedFails() {
        // given: the signed created_at moved by one second
        Path export = LedgerVectors.copy("chain.jsonl", dir);
        Path checkpoint = LedgerVectors.write(dir, "checkpoint.json", LedgerVectors.text("checkpoint.json")
                .replace("2026-11-25T13:00:00.000000Z", "2026-11-25T13:00:01.000000Z"));
        Path jwks = LedgerVectors.copy("jwks.json", dir);

        // when
        CliRun run = CliRun.of("--export", export, "--checkpoints", checkpoint, "--jwks", jwks);

        // then
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).startsWith("INVALID: checkpoint at sequence 4 (key test-2026-11): signature does not verify");
    }

    @Test
    void aCheckpointBeyondTheChainsHeadFails() {
        // given: the export lost its last entry, which the checkpoint signed
        Path export = LedgerVectors.write(dir, "chain.jsonl",
                String.join("\n", LedgerVectors.lines("chain.jsonl").subList(0, 3)) + "\n");
        Path checkpoint = LedgerVectors.copy("checkpoint.json", dir);
        Path jwks = LedgerVectors.copy("jwks.json", dir);

        // when
        CliRun run = CliRun.of("--export", export, "--checkpoints", checkpoint, "--jwks", jwks);

        // then
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).startsWith("INVALID: checkpoint at sequence 4 (key test-2026-11): the chain ends at sequence 3");
    }

    @Test
    void aCheckpointOfAnotherOrganisationFails() {
        // given: correctly signed, and the entry hash matches, but for another organisation
        Path export = LedgerVectors.copy("chain.jsonl", dir);
        Path checkpoint = LedgerVectors.write(dir, "checkpoint.json", LedgerVectors.toJson(
                LedgerVectors.sign("org_other", 4, HEAD_HASH).toJson()));
        Path jwks = LedgerVectors.copy("jwks.json", dir);

        // when
        CliRun run = CliRun.of("--export", export, "--checkpoints", checkpoint, "--jwks", jwks);

        // then
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).startsWith("INVALID: checkpoint at sequence 4 (key test-2026-11): the checkpoint is for"
                + " organisation org_other, but the chain is org_xyz789's");
    }

    @Test
    void aPublicExportWithWithheldContentVerifiesWithItsCheckpoint() {
        // given: entries 3 and 4 are not public_full, so a public export carries only their hashes
        String publicExport = LedgerVectors.entries("chain.jsonl").stream()
                .map(entry -> "public_full".equals(entry.visibility()) ? entry.toJson(true)
                        : entry.withoutContent().toJson(false))
                .map(LedgerVectors::toJson)
                .collect(Collectors.joining("\n", "", "\n"));
        Path export = LedgerVectors.write(dir, "public.jsonl", publicExport);
        Path checkpoint = LedgerVectors.copy("checkpoint.json", dir);
        Path jwks = LedgerVectors.copy("jwks.json", dir);

        // when
        CliRun run = CliRun.of("--export", export, "--checkpoints", checkpoint, "--jwks", jwks);

        // then
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("VALID: 4 entries of org_xyz789 checked (2 with withheld content)")
                .contains("1 checkpoint verified");
    }

    @ParameterizedTest
    @ValueSource(strings = {"array", "json-lines", "envelope"})
    void checkpointsAreReadInEveryShapeTheyComeIn(String shape) {
        // given
        String atTwo = LedgerVectors.toJson(LedgerVectors.checkpointAt(2).toJson());
        String atFour = LedgerVectors.toJson(LedgerVectors.json("checkpoint.json"));
        String content = switch (shape) {
            case "array" -> "[" + atTwo + ",\n" + atFour + "]";
            case "json-lines" -> atTwo + "\n" + atFour + "\n";
            case "envelope" -> "{\"data\": [" + atTwo + ", " + atFour + "], \"has_more\": false, \"next_cursor\": null}";
            default -> throw new IllegalArgumentException(shape);
        };
        Path export = LedgerVectors.copy("chain.jsonl", dir);
        Path checkpoints = LedgerVectors.write(dir, "checkpoints", content);
        Path jwks = LedgerVectors.copy("jwks.json", dir);

        // when
        CliRun run = CliRun.of("--export", export, "--checkpoints", checkpoints, "--jwks", jwks);

        // then
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("2 checkpoints verified (latest at sequence 4, key test-2026-11)");
    }

    @Test
    void aMissingExportIsAnInputError() {
        // when
        CliRun run = CliRun.of("--export", dir.resolve("missing.jsonl"));

        // then
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("missing.jsonl").contains("no such file");
    }

    @Test
    void aMalformedLineIsAnInputErrorThatNamesTheLine() {
        // given
        List<String> lines = new ArrayList<>(LedgerVectors.lines("chain.jsonl"));
        lines.set(2, lines.get(2).substring(0, 40));
        Path export = LedgerVectors.write(dir, "chain.jsonl", String.join("\n", lines));

        // when
        CliRun run = CliRun.of("--export", export);

        // then
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("chain.jsonl line 3: malformed JSON");
    }

    @Test
    void aLineThatIsJsonButNotAnEntryIsAnInputErrorThatNamesTheLine() {
        // given
        List<String> lines = new ArrayList<>(LedgerVectors.lines("chain.jsonl"));
        lines.set(1, lines.get(1).replace("\"sequence\": 2", "\"sequence\": \"2\""));
        Path export = LedgerVectors.write(dir, "chain.jsonl", String.join("\n", lines));

        // when
        CliRun run = CliRun.of("--export", export);

        // then
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("chain.jsonl line 2 is not a ledger entry: sequence must be an integer");
    }

    @ParameterizedTest
    @ValueSource(strings = {"metadata removed", "metadata null", "currency removed"})
    void aLineWithPartOfItsContentIsNotTakenAsWithheld(String how) throws Exception {
        // given: a forged amount on a line that also lost part of its content (it passed as withheld, unchecked)
        List<String> lines = new ArrayList<>(LedgerVectors.lines("chain.jsonl"));
        ObjectNode forged = (ObjectNode) JsonInput.MAPPER.readTree(lines.get(1));
        forged.put("amount", 1);
        switch (how) {
            case "metadata removed" -> forged.remove("metadata");
            case "metadata null" -> forged.putNull("metadata");
            default -> forged.remove("currency");
        }
        lines.set(1, forged.toString());
        Path export = LedgerVectors.write(dir, "chain.jsonl", String.join("\n", lines));

        // when
        CliRun run = CliRun.of("--export", export);

        // then
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).doesNotContain("VALID");
        assertThat(run.err()).contains("chain.jsonl line 2 is not a ledger entry: an entry carries type, amount, currency");
    }

    @Test
    void aMalformedCheckpointFileIsAnInputError() {
        // given
        Path export = LedgerVectors.copy("chain.jsonl", dir);
        Path checkpoint = LedgerVectors.write(dir, "checkpoint.json", "{\n  \"v\": 1,\n  \"sequence\": 4,,\n}");
        Path jwks = LedgerVectors.copy("jwks.json", dir);

        // when
        CliRun run = CliRun.of("--export", export, "--checkpoints", checkpoint, "--jwks", jwks);

        // then
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("checkpoint.json line 3: malformed JSON");
    }

    @Test
    void progressIsDrawnOnStderrWhenAskedForAndNeverWhenQuiet() {
        // given
        Path export = LedgerVectors.copy("chain.jsonl", dir);

        // when
        CliRun withProgress = CliRun.of("--export", export, "--progress");
        CliRun quiet = CliRun.of("--export", export, "--progress", "--quiet");

        // then
        assertThat(withProgress.err()).contains("\r[##############################] 100%  4 entries").endsWith("\n");
        assertThat(withProgress.out()).startsWith("VALID: ");
        assertThat(quiet.err()).isEmpty();
    }

    @Test
    void entriesOfTheExportAreReadInFileOrderNotSorted() {
        // given: a chain read back to front breaks at its first line, whatever its sequences say
        List<String> reversed = new ArrayList<>(LedgerVectors.lines("chain.jsonl"));
        Collections.reverse(reversed);
        Path export = LedgerVectors.write(dir, "chain.jsonl", String.join("\n", reversed));

        // when
        CliRun run = CliRun.of("--export", export);

        // then
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).startsWith("INVALID: chain breaks at sequence 1: expected sequence 1 but found 4");
    }
}
