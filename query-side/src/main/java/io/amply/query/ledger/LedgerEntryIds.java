package io.amply.query.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Deterministic entry ids: {@code led_} + 16 base32 characters of SHA-256(event id, index). A
 * replay of the same event yields the same id, hence the same content and hashes.
 */
final class LedgerEntryIds {

    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    private LedgerEntryIds() {
    }

    static String of(String eventId, int index) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256")
                    .digest((eventId + "/" + index).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        StringBuilder id = new StringBuilder(20).append("led_");
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
