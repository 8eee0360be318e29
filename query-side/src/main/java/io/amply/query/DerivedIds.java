package io.amply.query;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Ids derived from what they identify: {@code prefix} + base32 of SHA-256(source), 20
 * characters in all. The same source always gives the same id, which is what makes a replay
 * of the event store rebuild identical ledger entries and checkpoints.
 */
public final class DerivedIds {

    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    private DerivedIds() {
    }

    /** One digest per thread: looking one up for every id showed in a rebuild's profile. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    public static String of(String prefix, String source) {
        byte[] digest = SHA_256.get().digest(source.getBytes(StandardCharsets.UTF_8));
        StringBuilder id = new StringBuilder(20).append(prefix);
        long bits = 0;
        int available = 0;
        int next = 0;
        while (id.length() < 20) {
            if (available < 5) {
                bits = (bits << 8) | (digest[next++] & 0xff);
                available += 8;
            }
            id.append(BASE32[(int) (bits >> (available - 5)) & 31]);
            available -= 5;
        }
        return id.toString();
    }
}
