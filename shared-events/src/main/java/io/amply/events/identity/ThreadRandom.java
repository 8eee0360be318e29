package io.amply.events.identity;

import java.nio.ByteBuffer;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * Cryptographically strong random bytes for identifiers made on every request, from a generator
 * of the calling thread's own.
 *
 * <p>{@code new SecureRandom()} on Linux is NativePRNG, whose instances all share one lock and
 * one file: under load the request threads queued on it (JFR, 2026-11-27: waits of 10 ms and
 * more, about four threads blocked at any time). Each thread's own DRBG is seeded once from the
 * operating system and never waits for another thread. A DRBG call costs about as much for 16
 * bytes as for 256 (its fixed part is a state update of SHA-256 rounds), so each thread draws a
 * block at a time and hands it out in pieces: a message identifier then costs half of what
 * {@code UUID.randomUUID()} does on one thread, and a sixth on 32 (local-launcher/bench/java/IdentifierCost.java).
 */
public final class ThreadRandom {

    private static final int BLOCK = 256;
    private static final ThreadLocal<ThreadRandom> OWN = ThreadLocal.withInitial(ThreadRandom::new);

    private final SecureRandom generator = newGenerator();
    private final byte[] block = new byte[BLOCK];
    private int used = BLOCK;

    private ThreadRandom() {
    }

    /** Fills {@code target} with random bytes. */
    public static void fill(byte[] target) {
        OWN.get().copyInto(target);
    }

    public static long nextLong() {
        byte[] bytes = new byte[Long.BYTES];
        fill(bytes);
        return ByteBuffer.wrap(bytes).getLong();
    }

    private void copyInto(byte[] target) {
        int filled = 0;
        while (filled < target.length) {
            if (used == BLOCK) {
                generator.nextBytes(block);
                used = 0;
            }
            int n = Math.min(BLOCK - used, target.length - filled);
            System.arraycopy(block, used, target, filled, n);
            used += n;
            filled += n;
        }
    }

    private static SecureRandom newGenerator() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK since 9 has DRBG", e);
        }
    }
}
