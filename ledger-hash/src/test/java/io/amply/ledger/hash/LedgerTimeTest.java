package io.amply.ledger.hash;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** LedgerTime.isValid checks by hand first; it must still answer exactly as the regex and Instant.parse did. */
class LedgerTimeTest {

    @Test
    void agreesWithTheRegexAndInstantParseOnEveryFieldBoundary() {
        int checked = 0;
        // leap years: 2024 (by 4), 2000 (by 400); not: 2023, 2100 (a century), and the ends 0000 and 9999
        for (String year : List.of("0000", "2000", "2023", "2024", "2100", "9999")) {
            for (int month = 0; month <= 13; month++) {
                for (int day = 0; day <= 32; day++) {
                    for (String time : List.of("00:00:00", "23:59:59", "23:59:60", "22:59:60", "23:58:60", "24:00:00",
                            "24:00:01", "24:01:00", "25:00:00", "12:60:00", "12:00:61", "99:99:99")) {
                        for (String fraction : List.of("999999")) {
                            String text = year + "-" + two(month) + "-" + two(day) + "T" + time + "." + fraction + "Z";
                            assertSameAsReference(text);
                            checked++;
                        }
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(15_000);
    }

    @Test
    void agreesWithTheRegexOnTheShape() {
        String good = "2026-11-24T09:15:00.123456Z";
        List<String> candidates = new ArrayList<>(List.of(good, good + "\n", "\n" + good, good.substring(1),
                good.replace("Z", "+00:00"), good.replace(".123456", ".12345"), good.replace(".123456", ".1234567"),
                good.replace('T', 't'), good.replace("Z", "z"), good.replace('2', '\u0662'), "", " " + good.substring(1)));
        for (int i = 0; i < good.length(); i++) {
            for (char c : new char[]{'0', '9', '/', ':', '-', '.', 'T', 'Z', 'a', ' ', '\u0660', '\uFF10'}) {
                candidates.add(good.substring(0, i) + c + good.substring(i + 1));
            }
        }
        candidates.forEach(LedgerTimeTest::assertSameAsReference);
        assertThat(LedgerTime.isValid((String) null)).isFalse();
    }

    @Test
    void formatsEveryInstantAsTheFormatterDoes() {
        // given: random instants over the years 0000-9999, the edges of days, years and centuries, and beyond
        Random random = new Random(20261126);
        DateTimeFormatter reference = DateTimeFormatter
                .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
        long first = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        long last = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        List<Instant> instants = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            instants.add(Instant.ofEpochSecond(first + (long) (random.nextDouble() * (last - first)), random.nextInt(1_000_000_000)));
        }
        for (String edge : List.of("0000-01-01T00:00:00Z", "1969-12-31T23:59:59.999999999Z", "1970-01-01T00:00:00Z",
                "2000-02-29T12:00:00.000001Z", "2024-12-31T23:59:59.999999500Z", "9999-12-31T23:59:59.999999999Z",
                "-0001-12-31T23:59:59Z", "+10000-01-01T00:00:00Z")) {
            instants.add(Instant.parse(edge));
        }

        for (Instant instant : instants) {
            // when
            String formatted = LedgerTime.format(instant);

            // then
            assertThat(formatted).as(instant.toString()).isEqualTo(reference.format(instant.truncatedTo(ChronoUnit.MICROS)));
        }
    }

    private static void assertSameAsReference(String text) {
        boolean expected = Reference.isValidTime(text);
        assertThat(LedgerTime.isValid(text)).as(text).isEqualTo(expected);
        byte[] bytes = ("x" + text + "y").getBytes(StandardCharsets.UTF_8);
        assertThat(LedgerTime.isValid(bytes, 1, bytes.length - 1)).as(text).isEqualTo(expected);
    }

    private static String two(int n) {
        return n < 10 ? "0" + n : Integer.toString(n);
    }
}
