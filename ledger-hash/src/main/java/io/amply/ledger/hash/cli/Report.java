package io.amply.ledger.hash.cli;

import io.amply.ledger.hash.ChainVerdict;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Everything the verifier found, and how it is told: problems first, one {@code INVALID:} line
 * each, then a summary; a single {@code VALID:} line when there are none.
 *
 * @param withheld            entries of the verified part whose content this reader could not see
 * @param organisationId      the chain's organisation, or null when no entry verified
 * @param organisationProblem set when the chain is not the organisation that was asked for
 */
record Report(ChainVerdict chain, long withheld, String organisationId, String organisationProblem,
              List<CheckpointOutcome> checkpoints) {

    static final String NO_CHECKPOINT_WARNING = "WARNING: no signed checkpoint was checked, so this only shows"
            + " that the chain is consistent with itself: a chain rewritten and re-hashed after a change can only"
            + " be caught by a signed checkpoint (--checkpoints with --jwks, or --url).";

    boolean valid() {
        return chain.valid() && organisationProblem == null && checkpoints.stream().allMatch(CheckpointOutcome::valid);
    }

    List<String> lines() {
        List<String> lines = new ArrayList<>();
        if (!chain.valid()) {
            lines.add("INVALID: chain breaks at sequence " + chain.firstBadSequence() + ": " + chain.reason());
        }
        if (organisationProblem != null) {
            lines.add("INVALID: " + organisationProblem);
        }
        for (CheckpointOutcome outcome : checkpoints) {
            if (!outcome.valid()) {
                lines.add("INVALID: checkpoint at sequence " + outcome.checkpoint().sequence() + " (key "
                        + outcome.checkpoint().keyId() + "): " + outcome.problem());
            }
        }
        if (valid()) {
            lines.add("VALID: " + chainSummary() + "; " + checkpointSummary());
            if (checkpoints.isEmpty()) {
                lines.add(NO_CHECKPOINT_WARNING);
            }
        } else {
            lines.add((chain.valid() ? "The chain's links are consistent: " : "Verified before the break: ")
                    + chainSummary());
            if (!checkpoints.isEmpty()) {
                lines.add("Checkpoints: " + checkpointSummary());
            }
        }
        return lines;
    }

    private String chainSummary() {
        long verified = chain.headSequence();
        if (verified == 0) {
            return chain.valid() ? "the export holds no entries" : "no entries";
        }
        return count(verified, "entry", "entries") + (organisationId == null ? "" : " of " + organisationId)
                + " checked (" + number(withheld) + " with withheld content); head sequence "
                + verified + " " + chain.headEntryHash();
    }

    private String checkpointSummary() {
        if (checkpoints.isEmpty()) {
            return "no checkpoints checked";
        }
        List<CheckpointOutcome> verified = checkpoints.stream().filter(CheckpointOutcome::valid).toList();
        String latest = verified.stream()
                .max(Comparator.comparingLong(outcome -> outcome.checkpoint().sequence()))
                .map(outcome -> " (latest at sequence " + outcome.checkpoint().sequence() + ", key "
                        + outcome.checkpoint().keyId() + ")")
                .orElse("");
        if (verified.size() == checkpoints.size()) {
            return count(verified.size(), "checkpoint", "checkpoints") + " verified" + latest;
        }
        return number(verified.size()) + " of " + number(checkpoints.size()) + " checkpoints verified" + latest;
    }

    private static String count(long n, String one, String many) {
        return number(n) + " " + (n == 1 ? one : many);
    }

    /** Counts are grouped for reading; sequences are not, as they are identifiers people search for. */
    private static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
