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

    /**
     * A keyset position of (sequence, key id): a chain's checkpoints, ordered by the sequence they
     * sign, then by the signing key (a head is signed again after a key rotation). {@code keyId} is
     * null for a cursor of the older form, which named the sequence alone.
     */
    public record SequenceKey(long sequence, String keyId) {
    }

    public static String encodeSequenceKey(long sequence, String keyId) {
        return encode("c", sequence, keyId);
    }

    /** The position a checkpoint list's cursor names; null (the first page) stays null. */
    public static SequenceKey decodeSequenceKey(String cursor) {
        if (cursor != null && text(cursor).startsWith("s:")) {
            return new SequenceKey(decodeSequence(cursor), null); // handed out before the key was in it
        }
        return decode(cursor, "c", (number, id) -> {
            if (number < 0) {
                throw new IllegalArgumentException();
            }
            return new SequenceKey(number, id);
        });
    }

    private static final long EARLIEST_MICROS = 0; // 1970-01-01
    private static final long LATEST_MICROS = 253_402_300_799_999_999L; // 9999-12-31T23:59:59.999999Z

    /** A keyset position of (time, id): lists ordered by when something was created, then its id. */
    public record Key(java.time.Instant at, String id) {
    }

    /** created_at is kept in microseconds, PostgreSQL's precision, so the next page starts exactly after that row. */
    public static String encodeKey(java.time.Instant at, String id) {
        return encode("k", Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000), id);
    }

    /** The key a list's cursor names; null (the first page) stays null. */
    public static Key decodeKey(String cursor) {
        return decode(cursor, "k", (micros, id) -> {
            // no row was created outside these years; past PostgreSQL's range the moment was a server error
            if (micros < EARLIEST_MICROS || micros > LATEST_MICROS) {
                throw new IllegalArgumentException();
            }
            return new Key(java.time.Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000),
                    Math.floorMod(micros, 1_000_000) * 1_000L), id);
        });
    }

    /** A cursor of the form {@code <kind>:<number>:<id>}. */
    private static String encode(String kind, long number, String id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((kind + ":" + number + ":" + id).getBytes(StandardCharsets.UTF_8));
    }

    private static String text(String cursor) {
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("cursor", "cursor is not one this API returned");
        }
    }

    private interface Position<T> {
        T of(long number, String id);
    }

    /** What a cursor of {@code kind} names; null (the first page) stays null; anything else is refused in the API's format. */
    private static <T> T decode(String cursor, String kind, Position<T> position) {
        if (cursor == null) {
            return null;
        }
        try {
            String[] parts = text(cursor).split(":", 3);
            if (parts.length != 3 || !parts[0].equals(kind) || parts[2].isEmpty() || ControlCharacters.hasControl(parts[2])) {
                throw new IllegalArgumentException();
            }
            return position.of(Long.parseLong(parts[1]), parts[2]);
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw ApiException.invalid("cursor", "cursor is not one this API returned");
        }
    }
}
