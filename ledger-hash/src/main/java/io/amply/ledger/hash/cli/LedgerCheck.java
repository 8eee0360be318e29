package io.amply.ledger.hash.cli;

import io.amply.ledger.hash.ChainVerdict;
import io.amply.ledger.hash.ChainVerifier;
import io.amply.ledger.hash.Checkpoint;
import io.amply.ledger.hash.CheckpointVerifier;
import io.amply.ledger.hash.JwkSet;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Streams one export through {@link ChainVerifier} and then checks the checkpoints against it.
 * Only the entry hashes at the checkpoints' sequences are kept, so memory does not grow with the
 * ledger; and only from entries that verified, so a broken chain is judged on its good part.
 */
final class LedgerCheck {

    private final List<Checkpoint> checkpoints;
    private final JwkSet keys;
    private final String expectedOrganisation;
    private final Set<Long> wanted = new HashSet<>();
    private final Map<Long, String> entryHashes = new HashMap<>();
    private final ChainVerifier chain = new ChainVerifier();
    private String organisationId;
    private long entriesRead;

    /**
     * @param keys                 may be null when there are no checkpoints
     * @param expectedOrganisation the organisation asked for, or null when any will do (a file)
     */
    LedgerCheck(List<Checkpoint> checkpoints, JwkSet keys, String expectedOrganisation) {
        this.checkpoints = List.copyOf(checkpoints);
        this.keys = keys;
        this.expectedOrganisation = expectedOrganisation;
        this.checkpoints.forEach(checkpoint -> wanted.add(checkpoint.sequence()));
    }

    Report run(ExportReader export, Progress progress) {
        try {
            export.read(entry -> {
                entriesRead++;
                boolean good = chain.accept(entry);
                if (good) {
                    if (organisationId == null) {
                        organisationId = entry.organisationId();
                    }
                    if (wanted.contains(entry.sequence())) {
                        entryHashes.put(entry.sequence(), entry.entryHash());
                    }
                }
                progress.update(export.bytesRead(), entriesRead);
                // Once broken, ChainVerifier ignores the rest: stop reading (and downloading) it.
                return good;
            });
        } finally {
            progress.finish(export.bytesRead(), entriesRead);
        }
        ChainVerdict verdict = chain.verdict();
        String organisationProblem = expectedOrganisation == null || organisationId == null
                || expectedOrganisation.equals(organisationId) ? null
                : "the export holds the chain of organisation " + organisationId + ", not of " + expectedOrganisation
                + " as requested";
        List<CheckpointOutcome> outcomes = checkpoints.stream().map(checkpoint -> check(checkpoint, verdict)).toList();
        return new Report(verdict, chain.withheldEntries(), organisationId, organisationProblem, outcomes);
    }

    private CheckpointOutcome check(Checkpoint checkpoint, ChainVerdict verdict) {
        CheckpointVerifier.Result result = CheckpointVerifier.verify(checkpoint, keys, entryHashes::get);
        if (!result.signatureValid()) {
            return new CheckpointOutcome(checkpoint, result.problem());
        }
        if (organisationId != null && !organisationId.equals(checkpoint.organisationId())) {
            return new CheckpointOutcome(checkpoint, "the checkpoint is for organisation "
                    + checkpoint.organisationId() + ", but the chain is " + organisationId + "'s");
        }
        if (!result.matchesChain() && checkpoint.sequence() > verdict.headSequence()) {
            return new CheckpointOutcome(checkpoint, verdict.valid()
                    ? "the chain ends at sequence " + verdict.headSequence() + ", before the checkpoint's sequence"
                    + " (signed entries were removed, or the export is older than the checkpoint)"
                    : "the chain verified only up to sequence " + verdict.headSequence() + " (it breaks at "
                    + verdict.firstBadSequence() + "), so the checkpoint's entry cannot be checked");
        }
        return new CheckpointOutcome(checkpoint, result.problem());
    }
}
