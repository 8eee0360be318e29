package io.amply.query.ledger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.amply.ledger.hash.ChainVerifier;
import io.amply.ledger.hash.CheckedLines;
import io.amply.ledger.hash.ExportLineChecker;
import io.amply.ledger.hash.LedgerEntry;
import io.amply.ledger.hash.LedgerHashes;
import io.amply.ledger.hash.LedgerTime;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * ChainCopy against binary COPY written here as PostgreSQL writes it (the ITs read real ones):
 * what the field check reads, and every entry made for the reference path, must be exactly what the row holds.
 */
class ChainCopyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ORG = "org_copy";
    /** PostgreSQL's timestamps count microseconds from 2000-01-01T00:00:00Z. */
    private static final long Y2K_MICROS = 946_684_800_000_000L;

    @Test
    void aSealedChainsRowsPassTheFieldCheckAndTheChainVerifierAndComeBackAsTheirEntries() throws IOException {
        // given
        LedgerEntry first = entry(1, "donation_received", 2_500, "{\"fund_id\":\"fund_a\",\"donation_id\":\"don_1\"}", null);
        LedgerEntry second = entry(2, "fee", -75, "{\"charged_by\":\"stripe\",\"n\":[1,{\"b\":true,\"a\":null}]}", first.entryHash());
        byte[] copy = copy(row(first), row(second));

        // when
        ChainCopy.Rows rows = rows(copy);

        // then
        assertThat(rows.count()).isEqualTo(2);
        ExportLineChecker checker = new ExportLineChecker();
        CheckedLines checked = new CheckedLines();
        ChainVerifier chain = new ChainVerifier();
        for (int row = 0; row < rows.count(); row++) {
            int index = checker.checkFields(rows.bytes(), rows.ranges(), rows.at(row), rows.sequence(row), rows.amount(row), checked);
            assertThat(index).as("row %d", row).isGreaterThanOrEqualTo(0);
            assertThat(chain.tryAccept(checked, index)).as("row %d", row).isTrue();
        }
        assertThat(chain.verdict().valid()).isTrue();
        assertThat(chain.verdict().headEntryHash()).isEqualTo(second.entryHash());
        assertThat(rows.entry(0)).isEqualTo(first);
        assertThat(rows.entry(1)).isEqualTo(second);
    }

    @Test
    void aChangedAmountFailsTheFieldCheck() throws IOException {
        // given
        List<Object> row = row(entry(1, "donation_received", 2_500, "{}", null));
        row.set(3, 2_501L);
        ChainCopy.Rows rows = rows(copy(row));

        // when
        int index = new ExportLineChecker().checkFields(rows.bytes(), rows.ranges(), rows.at(0), rows.sequence(0),
                rows.amount(0), new CheckedLines());

        // then: the reference path decides, and says why
        assertThat(index).isEqualTo(-1);
        assertThat(ChainVerifier.verify(List.of(rows.entry(0))).reason()).contains("content_hash does not match");
    }

    @Test
    void oddStringsLeaveTheFieldCheckAndComeBackExactlyAsTheRowHoldsThem() throws IOException {
        // given: values a tamperer could write with the constraints dropped
        LedgerEntry odd = new LedgerEntry("led_\"x\\y", ORG, 7, "line\nbreak\ttab\u0001", 1L, "EU\"",
                "public_full", (ObjectNode) JSON.readTree("{\"note\":\"Für \\\"die\\\" Kinder 😀\"}"),
                "2026-11-24T09:15:00.123456Z", "sha256:not-hex", null, "\",\"sequence\":1,\"x\":\"");
        byte[] copy = copy(row(odd));

        // when
        ChainCopy.Rows rows = rows(copy);

        // then: outside the field check's subset, and the entry is exactly what the row holds
        assertThat(new ExportLineChecker().checkFields(rows.bytes(), rows.ranges(), rows.at(0), rows.sequence(0),
                rows.amount(0), new CheckedLines())).isEqualTo(-1);
        assertThat(rows.entry(0)).isEqualTo(odd);
    }

    @Test
    void nullsAreNullAndTheChainVerifierSaysWhatIsMissing() throws IOException {
        // given
        List<Object> row = row(entry(1, "fee", -1, "{}", null));
        row.set(2, null); // type
        row.set(10, null); // entry_hash

        // when
        ChainCopy.Rows rows = rows(copy(row));

        // then
        assertThat(new ExportLineChecker().checkFields(rows.bytes(), rows.ranges(), rows.at(0), rows.sequence(0),
                rows.amount(0), new CheckedLines())).isEqualTo(-1);
        LedgerEntry read = rows.entry(0);
        assertThat(read.type()).isNull();
        assertThat(read.prevEntryHash()).isNull();
        assertThat(read.entryHash()).isNull();
        assertThat(ChainVerifier.verify(List.of(read)).reason()).isEqualTo("entry_hash is missing or malformed");
    }

    @Test
    void aRowThatCannotBeAnEntrySaysWhy() throws IOException {
        // given: rows a tamperer could write with the constraints dropped
        LedgerEntry entry = entry(1, "fee", -1, "{}", null);
        List<Object> noSequence = row(entry);
        noSequence.set(1, null);
        List<Object> notAnObject = row(entry);
        notAnObject.set(6, "[1, 2]");
        List<Object> repeatedMember = row(entry);
        repeatedMember.set(6, "{\"a\": 1, \"a\": 2}");

        // when
        ChainCopy.Rows rows = rows(copy(noSequence, notAnObject, repeatedMember));

        // then
        assertThatThrownBy(() -> rows.entry(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sequence");
        assertThatThrownBy(() -> rows.entry(1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("object");
        assertThatThrownBy(() -> rows.entry(2)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid JSON");
    }

    @Test
    void timestampsAreWrittenInTheContractsFormatAndInfinityIsNotATimestamp() throws IOException {
        // given
        LedgerEntry entry = entry(1, "fee", -1, "{}", null);
        List<Object> before2000 = row(entry);
        before2000.set(7, micros(Instant.parse("1999-12-31T23:59:59.999999Z")));
        List<Object> farFuture = row(entry);
        farFuture.set(7, micros(Instant.parse("+10000-01-01T00:00:00Z")));
        List<Object> infinity = row(entry);
        infinity.set(7, Long.MAX_VALUE);
        List<Object> minusInfinity = row(entry);
        minusInfinity.set(7, Long.MIN_VALUE);

        // when
        ChainCopy.Rows rows = rows(copy(before2000, farFuture, infinity, minusInfinity));

        // then
        assertThat(rows.entry(0).createdAt()).isEqualTo("1999-12-31T23:59:59.999999Z");
        assertThat(rows.entry(1).createdAt()).isEqualTo("+10000-01-01T00:00:00.000000Z");
        assertThat(rows.entry(2).createdAt()).isEqualTo("infinity");
        assertThat(rows.entry(3).createdAt()).isEqualTo("-infinity");
    }

    @Test
    void everyCreatedAtIsWhatLedgerTimeWrites() throws IOException {
        // given: bursts within a minute, across minutes, years and 1970, and past the year 9999
        java.util.Random random = new java.util.Random(5);
        LedgerEntry entry = entry(1, "fee", -1, "{}", null);
        List<List<Object>> rows = new ArrayList<>();
        List<Instant> instants = new ArrayList<>();
        Instant at = Instant.parse("1969-12-31T23:58:30.000001Z");
        for (int i = 0; i < 5_000; i++) {
            at = switch (random.nextInt(4)) {
                case 0 -> at.plusNanos(random.nextInt(1_000_000) * 1_000L);
                case 1 -> at.plusSeconds(random.nextInt(90));
                case 2 -> at.plusSeconds(random.nextInt(400_000_000));
                default -> at.plusNanos(random.nextInt(1_000) * 1_000L);
            };
            List<Object> row = row(entry);
            row.set(7, micros(at));
            rows.add(row);
            instants.add(at);
        }

        // when
        @SuppressWarnings("unchecked")
        ChainCopy.Rows read = rows(copy(rows.toArray(new List[0])));

        // then
        for (int i = 0; i < instants.size(); i++) {
            assertThat(read.entry(i).createdAt()).isEqualTo(LedgerTime.format(instants.get(i)));
        }
    }

    @Test
    void rowsCutAcrossMessagesComeOutWhole() throws IOException {
        // given
        LedgerEntry first = entry(1, "donation_received", 10, "{\"a\":1}", null);
        LedgerEntry second = entry(2, "donation_received", 20, "{\"a\":2}", first.entryHash());
        byte[] copy = copy(row(first), row(second));

        for (int size : new int[]{1, 7, 100}) {
            // when: messages of a few bytes each (PostgreSQL sends a row per message, the header with the first)
            ChainCopy.Rows rows = rows(copy, size);

            // then
            assertThat(rows.count()).isEqualTo(2);
            assertThat(rows.entry(0)).isEqualTo(first);
            assertThat(rows.entry(1)).isEqualTo(second);
        }
    }

    @Test
    void aCopyThatEndsInARowOrHasOtherColumnsIsAnError() throws IOException {
        // given
        byte[] whole = copy(row(entry(1, "fee", -1, "{}", null)));
        byte[] cut = Arrays.copyOf(whole, whole.length - 20);
        List<Object> shortRow = row(entry(1, "fee", -1, "{}", null));
        shortRow.remove(10);

        // then
        assertThatThrownBy(() -> rows(cut)).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> rows(copy(shortRow)))
                .isInstanceOf(IOException.class).hasMessageContaining("10 columns");
        assertThatThrownBy(() -> rows("not a copy at all, no".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(IOException.class).hasMessageContaining("not a binary COPY");
    }

    @Test
    void aHeaderExtensionIsSkipped() throws IOException {
        // given
        LedgerEntry entry = entry(1, "fee", -1, "{\"a\":1}", null);
        byte[] plain = copy(row(entry));
        ByteArrayOutputStream extended = new ByteArrayOutputStream();
        extended.write(plain, 0, 15);
        extended.write(new byte[]{0, 0, 0, 3, 'x', 'y', 'z'});
        extended.write(plain, 19, plain.length - 19);

        // then
        assertThat(rows(extended.toByteArray()).entry(0)).isEqualTo(entry);
    }

    @Test
    void rowsAreReusedAfterClear() throws IOException {
        // given
        LedgerEntry first = entry(1, "fee", -1, "{}", null);
        LedgerEntry second = entry(2, "fee", -2, "{\"b\":2}", first.entryHash());
        ChainCopy.Rows rows = rows(copy(row(first)));

        // when
        rows.clear();
        ChainCopy again = new ChainCopy(single(copy(row(second))));
        while (again.next(rows)) {
            // one row
        }

        // then
        assertThat(rows.count()).isEqualTo(1);
        assertThat(rows.entry(0)).isEqualTo(second);
        assertThat(new ExportLineChecker().checkFields(rows.bytes(), rows.ranges(), rows.at(0), rows.sequence(0),
                rows.amount(0), new CheckedLines())).isGreaterThanOrEqualTo(0);
    }

    @Test
    void anEmptyChainHasNoRows() throws IOException {
        // when
        ChainCopy.Rows rows = rows(copy());

        // then
        assertThat(rows.count()).isZero();
    }

    private static LedgerEntry entry(long sequence, String type, long amount, String metadata, String prev) throws IOException {
        return LedgerHashes.seal("led_" + sequence, ORG, sequence, type, amount, "GBP", "public_full",
                (ObjectNode) JSON.readTree(metadata), "2026-11-24T09:15:00.123456Z", prev);
    }

    /** The COPY's columns, in its order, as Java values (null for NULL). */
    private static List<Object> row(LedgerEntry entry) {
        List<Object> row = new ArrayList<>();
        row.add(entry.id());
        row.add(entry.sequence());
        row.add(entry.type());
        row.add(entry.amount());
        row.add(entry.currency());
        row.add(entry.visibility());
        // json: the text as written (here with spaces, as rows migrated from jsonb have it)
        row.add(entry.metadata().toString().replace("\":", "\": ").replace(",\"", ", \""));
        row.add(micros(Instant.parse(entry.createdAt())));
        row.add(entry.contentHash());
        row.add(entry.prevEntryHash());
        row.add(entry.entryHash());
        return row;
    }

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000 - Y2K_MICROS;
    }

    @SafeVarargs
    private static byte[] copy(List<Object>... rows) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(new byte[]{'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0});
        out.writeInt(0);
        out.writeInt(0);
        for (List<Object> row : rows) {
            out.writeShort(row.size());
            for (Object value : row) {
                if (value == null) {
                    out.writeInt(-1);
                } else if (value instanceof Long number) {
                    out.writeInt(8);
                    out.writeLong(number);
                } else {
                    byte[] text = ((String) value).getBytes(StandardCharsets.UTF_8);
                    out.writeInt(text.length);
                    out.write(text);
                }
            }
        }
        out.writeShort(-1);
        return bytes.toByteArray();
    }

    private static ChainCopy.Rows rows(byte[] copy) throws IOException {
        return rows(copy, copy.length);
    }

    /** The COPY handed over in messages of {@code size} bytes. */
    private static ChainCopy.Rows rows(byte[] copy, int size) throws IOException {
        int[] at = {0};
        ChainCopy source = new ChainCopy(() -> {
            if (at[0] == copy.length) {
                return null;
            }
            byte[] message = Arrays.copyOfRange(copy, at[0], (int) Math.min(copy.length, (long) at[0] + size));
            at[0] += message.length;
            return message;
        });
        ChainCopy.Rows rows = new ChainCopy.Rows(ORG, 16, 1);
        while (source.next(rows)) {
            // small buffers on purpose: they must grow
        }
        return rows;
    }

    private static ChainCopy.Source single(byte[] copy) {
        boolean[] given = {false};
        return () -> {
            if (given[0]) {
                return null;
            }
            given[0] = true;
            return copy;
        };
    }
}
