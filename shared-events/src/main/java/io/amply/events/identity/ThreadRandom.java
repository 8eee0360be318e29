package io.amply.events.identity;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * A cryptographically strong generator per thread, for identifiers made on every request.
 *
 * <p>{@code new SecureRandom()} on Linux is NativePRNG, whose instances all share one lock and
 * one file: under load the request threads queued on it (JFR, 2026-11-27: waits of 10 ms and
 * more, about four threads blocked at any time). Each thread's own DRBG is seeded once from the
 * operating system and never waits for another thread.
 */
public final class ThreadRandom {

    private static final ThreadLocal<SecureRandom> GENERATORS = ThreadLocal.withInitial(ThreadRandom::newGenerator);

    private ThreadRandom() {
    }

    /** The calling thread's generator; never hand it to another thread. */
    public static SecureRandom current() {
        return GENERATORS.get();
    }

    private static SecureRandom newGenerator() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK since 9 has DRBG", e);
        }
    }
}
