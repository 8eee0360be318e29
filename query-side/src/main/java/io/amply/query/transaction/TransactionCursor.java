package io.amply.query.transaction;

import io.amply.query.web.ApiException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The opaque keyset cursor of the transaction lists: the (created_at, id) of the last row of a
 * page, base64url. created_at is kept in microseconds, PostgreSQL's precision, so the next page
 * starts exactly after that row.
 */
record TransactionCursor(Instant createdAt, String id) {

    private static final String PREFIX = "t:";
    private static final Pattern ID = Pattern.compile("txn_[a-z2-7]{1,16}");

    String encode() {
        long micros = Math.addExact(Math.multiplyExact(createdAt.getEpochSecond(), 1_000_000L), createdAt.getNano() / 1_000);
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((PREFIX + micros + ":" + id).getBytes(StandardCharsets.US_ASCII));
    }

    static TransactionCursor decode(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            int colon = text.indexOf(':', PREFIX.length());
            if (!text.startsWith(PREFIX) || colon < 0) {
                throw new IllegalArgumentException();
            }
            long micros = Long.parseLong(text.substring(PREFIX.length(), colon));
            String id = text.substring(colon + 1);
            if (micros < 0 || !ID.matcher(id).matches()) {
                throw new IllegalArgumentException();
            }
            return new TransactionCursor(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                    Math.floorMod(micros, 1_000_000L) * 1_000L), id);
        } catch (IllegalArgumentException | ArithmeticException | java.time.DateTimeException e) {
            throw ApiException.invalid("cursor", "cursor is not one this API returned");
        }
    }
}
