package io.amply.ledger.hash;

import java.security.PublicKey;
import java.util.Optional;
import java.util.function.LongFunction;

/** Checks a checkpoint's signature and that the chain holds its head (ledger-hash-v1 §4). */
public final class CheckpointVerifier {

    private CheckpointVerifier() {
    }

    /** The verdict on one checkpoint; {@code problem} is null when it verifies. */
    public record Result(boolean signatureValid, boolean matchesChain, String problem) {
        public boolean valid() {
            return signatureValid && matchesChain;
        }
    }

    /**
     * @param entryHashAt the chain's entry hash at a sequence, or null when the chain has no such entry
     */
    public static Result verify(Checkpoint checkpoint, JwkSet keys, LongFunction<String> entryHashAt) {
        Optional<PublicKey> key = keys.key(checkpoint.keyId());
        if (key.isEmpty()) {
            return new Result(false, false, "checkpoint is signed with key \"" + checkpoint.keyId()
                    + "\", which the JWK Set does not publish");
        }
        if (checkpoint.signature() == null
                || !Ed25519Keys.verify(key.get(), checkpoint.signedBytes(), checkpoint.signature())) {
            return new Result(false, false, "signature does not verify under key \"" + checkpoint.keyId()
                    + "\" (the checkpoint body was changed or signed by another key)");
        }
        String actual = entryHashAt.apply(checkpoint.sequence());
        if (actual == null) {
            return new Result(true, false, "the chain has no entry at checkpoint sequence " + checkpoint.sequence());
        }
        if (!actual.equals(checkpoint.entryHash())) {
            return new Result(true, false, "entry " + checkpoint.sequence()
                    + " has a different entry_hash than the signed checkpoint (the chain was rewritten)");
        }
        return new Result(true, true, null);
    }
}
