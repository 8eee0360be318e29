package io.amply.ledger.hash.cli;

import io.amply.ledger.hash.ChainVerdict;
import io.amply.ledger.hash.ChainVerifier;
import io.amply.ledger.hash.CheckedLines;
import io.amply.ledger.hash.Checkpoint;
import io.amply.ledger.hash.CheckpointVerifier;
import io.amply.ledger.hash.JwkSet;
import io.amply.ledger.hash.LedgerEntry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Streams one export through {@link ChainVerifier} and then checks the checkpoints against it.
 * Lines the reader's workers checked on their own go through {@link ChainVerifier#tryAccept}; any
 * other line, and any that does not follow on, through {@link ChainVerifier#accept}.
 * Only the entry hashes at the checkpoints' sequences are kept, so memory does not grow with the
 * ledger; and only from entries that verified, so a broken chain is judged on its good part.
 */
final class LedgerCheck {

    private final List<Checkpoint> checkpoints;
    private final JwkSet keys;
    private final String expectedOrganisation;
    /** The checkpoints' sequences, sorted: only the entry hashes there are kept. */
    private final long[] wantedSequences;
    private final Map<Long, String> entryHashes = new HashMap<>();
    private final ChainVerifier chain = new ChainVerifier();
    private String organisationId;
    private long entriesRead;
    /** Each checkpoint's signature check, in order; null when there are no checkpoints. */
    private final CompletableFuture<List<CheckpointVerifier.Result>> signatures;

    /**
     * @param keys                 may be null when there are no checkpoints
     * @param expectedOrganisation the organisation asked for, or null when any will do (a file)
     */
    LedgerCheck(List<Checkpoint> checkpoints, JwkSet keys, String expectedOrganisation) {
        this.checkpoints = List.copyOf(checkpoints);
        this.keys = keys;
        this.expectedOrganisation = expectedOrganisation;
        // The signatures do not depend on the chain: check them while it streams, not after.
        this.signatures = this.checkpoints.isEmpty() ? null : CompletableFuture.supplyAsync(() -> {
            List<CheckpointVerifier.Result> results = new ArrayList<>(this.checkpoints.size());
            for (Checkpoint checkpoint : this.checkpoints) {
                results.add(CheckpointVerifier.verifySignature(checkpoint, keys));
            }
            return results;
        }, task -> {
            Thread thread = new Thread(task, "verify-ledger-signatures");
            thread.setDaemon(true);
            thread.start();
        });
        long[] sequences = new long[this.checkpoints.size()];
        for (int i = 0; i < sequences.length; i++) {
            sequences[i] = this.checkpoints.get(i).sequence();
        }
        Arrays.sort(sequences);
        this.wantedSequences = sequences;
    }

    Report run(ExportReader export, Progress progress) {
        try {
            export.read(line -> {
                entriesRead++;
                boolean good;
                long sequence;
                String entryHash;
                String organisation;
                CheckedLines checked = line.checked();
                int index = line.checkedIndex();
                if (checked != null && chain.tryAccept(checked, index)) {
                    good = true;
                    sequence = checked.sequence(index);
                    // Strings only where needed: an entry per line would cost more than the checks.
                    entryHash = wanted(sequence) ? checked.entryHash(index) : null;
                    organisation = organisationId == null ? checked.organisationId(index) : null;
                } else {
                    // Not checked on its own, or not following on: the reference path decides and says why.
                    LedgerEntry entry = line.entry();
                    good = chain.accept(entry);
                    sequence = entry.sequence();
                    entryHash = entry.entryHash();
                    organisation = entry.organisationId();
                }
                if (good) {
                    if (organisationId == null) {
                        organisationId = organisation;
                    }
                    if (wanted(sequence)) {
                        entryHashes.put(sequence, entryHash);
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
        List<CheckpointVerifier.Result> signed = signatures();
        List<CheckpointOutcome> outcomes = new ArrayList<>(checkpoints.size());
        for (int i = 0; i < checkpoints.size(); i++) {
            outcomes.add(check(checkpoints.get(i), signed.get(i), verdict));
        }
        return new Report(verdict, chain.withheldEntries(), organisationId, organisationProblem, outcomes);
    }

    /** Whether a checkpoint signs this sequence (without boxing it, as this runs for every entry). */
    private boolean wanted(long sequence) {
        return Arrays.binarySearch(wantedSequences, sequence) >= 0;
    }

    /** The signature checks begun in the constructor; what they threw, they throw here, as verify would have. */
    private List<CheckpointVerifier.Result> signatures() {
        if (signatures == null) {
            return List.of();
        }
        try {
            return signatures.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    private CheckpointOutcome check(Checkpoint checkpoint, CheckpointVerifier.Result signature, ChainVerdict verdict) {
        CheckpointVerifier.Result result = CheckpointVerifier.verify(signature, checkpoint, entryHashes::get);
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
