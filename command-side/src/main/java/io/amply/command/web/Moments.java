package io.amply.command.web;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A moment a request names (a campaign's dates, a key's expiry), as the database keeps it:
 * microseconds, and within years PostgreSQL's {@code timestamptz} holds. Past these checks a
 * nanosecond apart would become the same moment, and the year 300000 a server error.
 */
public final class Moments {

    private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    private Moments() {
    }

    /** {@code at} to the microsecond, or null if null. @throws ApiException {@code invalid_request} on {@code param} */
    public static Instant of(String param, Instant at) {
        if (at == null) {
            return null;
        }
        if (at.isBefore(EARLIEST) || at.isAfter(LATEST)) {
            throw ApiException.invalid(param, param + " must lie between 1970 and the year 9999");
        }
        return at.truncatedTo(ChronoUnit.MICROS);
    }
}
