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
        return verify(verifySignature(checkpoint, keys), checkpoint, entryHashAt);
    }

    /**
     * The part of {@link #verify} that does not depend on the chain: whether the key is published and
     * the signature verifies under it. A verifier can check it before (or while) reading the chain,
     * then finish with {@link #verify(Result, Checkpoint, LongFunction)}. When the signature verifies,
     * the result's {@code matchesChain} is false and its {@code problem} null: the chain is not checked yet.
     */
    public static Result verifySignature(Checkpoint checkpoint, JwkSet keys) {
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
        return new Result(true, false, null);
    }

    /**
     * {@link #verify}, given what {@link #verifySignature} said of the same checkpoint and keys.
     *
     * @param entryHashAt the chain's entry hash at a sequence, or null when the chain has no such entry
     */
    public static Result verify(Result signature, Checkpoint checkpoint, LongFunction<String> entryHashAt) {
        if (!signature.signatureValid()) {
            return signature;
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
