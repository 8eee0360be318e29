package io.amply.ledger.hash;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.chrono.IsoChronology;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

/** The contract's timestamp format: UTC, {@code YYYY-MM-DDTHH:MM:SS.ffffffZ}, microseconds. */
public final class LedgerTime {

    /** Made on first use: isValid seldom needs them, and building them costs a verifier's start-up time. */
    private static final class Formats {
        static final DateTimeFormatter FORMAT =
                DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
        static final Pattern SHAPE =
                Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}Z$");
    }

    /** {@link Formats#SHAPE} position by position: 'd' is a digit, anything else is itself. */
    private static final byte[] SHAPE_TEMPLATE = "dddd-dd-ddTdd:dd:dd.ddddddZ".getBytes(StandardCharsets.US_ASCII);
    private static final int LENGTH = SHAPE_TEMPLATE.length;

    private LedgerTime() {
    }

    /** The instant at the precision the ledger keeps (a {@code TIMESTAMPTZ}'s microseconds). */
    public static Instant truncate(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    public static String format(Instant instant) {
        byte[] text = new byte[LENGTH];
        int length = format(instant, text, 0);
        return length == LENGTH ? new String(text, StandardCharsets.US_ASCII) : Formats.FORMAT.format(truncate(instant));
    }

    /**
     * Writes {@link #format(Instant)} into {@code to} at {@code at} and returns its length (27), for
     * the years 0000-9999; returns -1, writing nothing, for other years (then use the String form).
     */
    public static int format(Instant instant, byte[] to, int at) {
        // Written digit by digit: every row read back from the ledger is formatted, and
        // DateTimeFormatter was nearly half of turning a row into an entry (JFR).
        LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC);
        if (t.getYear() < 0 || t.getYear() > 9999) {
            return -1;
        }
        digits(to, at, t.getYear(), 4);
        to[at + 4] = '-';
        digits(to, at + 5, t.getMonthValue(), 2);
        to[at + 7] = '-';
        digits(to, at + 8, t.getDayOfMonth(), 2);
        to[at + 10] = 'T';
        digits(to, at + 11, t.getHour(), 2);
        to[at + 13] = ':';
        digits(to, at + 14, t.getMinute(), 2);
        to[at + 16] = ':';
        digits(to, at + 17, t.getSecond(), 2);
        to[at + 19] = '.';
        digits(to, at + 20, t.getNano() / 1_000, 6);
        to[at + 26] = 'Z';
        return LENGTH;
    }

    private static void digits(byte[] text, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            text[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    public static Instant parse(String text) {
        if (text == null || !Formats.SHAPE.matcher(text).matches()) {
            throw new IllegalArgumentException("not a ledger timestamp (YYYY-MM-DDTHH:MM:SS.ffffffZ): " + text);
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a ledger timestamp: " + text, e);
        }
    }

    public static boolean isValid(String text) {
        // Checked by hand first: it runs for every entry, and the regex plus Instant.parse (plus an
        // exception when invalid) cost more than the hashing.
        if (text == null || text.length() != LENGTH) {
            return false;
        }
        for (int i = 0; i < LENGTH; i++) {
            char c = text.charAt(i);
            byte want = SHAPE_TEMPLATE[i];
            if (want == 'd' ? c < '0' || c > '9' : c != want) {
                return false;
            }
        }
        return plausible(digits(text, 0, 4), digits(text, 5, 2), digits(text, 8, 2), digits(text, 11, 2),
                digits(text, 14, 2), digits(text, 17, 2)) || exactlyValid(text);
    }

    /** {@link #isValid} for {@code line[from, to)}, which holds ASCII or UTF-8. */
    static boolean isValid(byte[] line, int from, int to) {
        if (to - from != LENGTH) {
            return false;
        }
        for (int i = 0; i < LENGTH; i++) {
            byte c = line[from + i];
            byte want = SHAPE_TEMPLATE[i];
            if (want == 'd' ? c < '0' || c > '9' : c != want) {
                return false;
            }
        }
        if (plausible(digits(line, from, 4), digits(line, from + 5, 2), digits(line, from + 8, 2),
                digits(line, from + 11, 2), digits(line, from + 14, 2), digits(line, from + 17, 2))) {
            return true;
        }
        return exactlyValid(new String(line, from, LENGTH, java.nio.charset.StandardCharsets.US_ASCII));
    }

    /**
     * True when the fields make a date-time that {@link Instant#parse} certainly accepts. False
     * leaves the decision to {@link #exactlyValid}, which also knows its special cases (24:00,
     * the leap second 23:59:60).
     */
    private static boolean plausible(int year, int month, int day, int hour, int minute, int second) {
        if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) {
            return false;
        }
        int days = switch (month) {
            case 2 -> IsoChronology.INSTANCE.isLeapYear(year) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
        return day <= days;
    }

    private static boolean exactlyValid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            value = value * 10 + (text.charAt(i) - '0');
        }
        return value;
    }

    private static int digits(byte[] text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            value = value * 10 + (text[i] - '0');
        }
        return value;
    }
}
