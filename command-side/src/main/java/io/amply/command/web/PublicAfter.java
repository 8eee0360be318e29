package io.amply.command.web;

import io.amply.events.Visibility;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * A request's {@code public_after}: when the content of a {@code delayed_public} ledger entry becomes
 * public (ledger-hash-v1 §5). The ledger only compares it with the time of reading, so it must be
 * fixed when the money is recorded: it goes into the event, and the entry made from it never changes.
 */
public final class PublicAfter {

    public static final String PARAM = "public_after";
    /** When the client names no moment: long enough to keep a gift quiet, short enough not to hide it for good. */
    public static final Duration DEFAULT_DELAY = Duration.ofDays(90);
    public static final int MAX_YEARS_AHEAD = 10;

    private PublicAfter() {
    }

    /**
     * The moment for an entry of {@code visibility} (already resolved: explicit or the organisation's
     * default) recorded at {@code now}: null unless {@code delayed_public}; {@code requested} when
     * given (after now, at most ten years ahead), else {@code now} + 90 days. Microsecond precision,
     * the ledger's, so what the event holds is exactly what the entry shows.
     *
     * @throws ApiException {@code invalid_request} on {@code public_after}
     */
    public static Instant resolve(String requested, Visibility visibility, Instant now) {
        if (visibility != Visibility.delayed_public) {
            if (requested != null) {
                throw ApiException.invalid(PARAM, "public_after is only accepted with visibility delayed_public, not "
                        + visibility);
            }
            return null;
        }
        if (requested == null) {
            return now.plus(DEFAULT_DELAY).truncatedTo(ChronoUnit.MICROS);
        }
        Instant at = parse(requested);
        if (!at.isAfter(now)) {
            throw ApiException.invalid(PARAM, "public_after must be in the future");
        }
        if (at.isAfter(now.atOffset(ZoneOffset.UTC).plusYears(MAX_YEARS_AHEAD).toInstant())) {
            throw ApiException.invalid(PARAM, "public_after must be at most " + MAX_YEARS_AHEAD + " years ahead");
        }
        return at;
    }

    /** The moment a request names, at the ledger's precision (microseconds). */
    public static Instant parse(String requested) {
        try {
            return Moments.of(PARAM, Instant.parse(requested.strip()));
        } catch (DateTimeException e) {
            throw ApiException.invalid(PARAM, "public_after must be an ISO-8601 instant such as 2030-01-31T12:00:00Z");
        }
    }
}
