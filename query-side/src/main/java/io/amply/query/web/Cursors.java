package io.amply.query.web;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Opaque keyset cursors: the position after which the next page starts. Never an OFFSET, so a
 * page costs the same at any depth and concurrent inserts cannot shift it.
 */
public final class Cursors {

    private Cursors() {
    }

    public static String encodeSequence(long sequence) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("s:" + sequence).getBytes(StandardCharsets.US_ASCII));
    }

    public static long decodeSequence(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            if (!text.startsWith("s:")) {
                throw new IllegalArgumentException();
            }
            long sequence = Long.parseLong(text.substring(2));
            if (sequence < 0) {
                throw new IllegalArgumentException();
            }
            return sequence;
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("cursor", "cursor is not one this API returned");
        }
    }
}
