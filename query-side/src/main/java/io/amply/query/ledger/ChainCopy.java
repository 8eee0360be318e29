package io.amply.query.ledger;

import io.amply.ledger.hash.LedgerEntry;
import io.amply.ledger.hash.LedgerTime;
import org.postgresql.copy.CopyOut;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;

/**
 * An organisation's whole chain read with {@code COPY … TO STDOUT (FORMAT binary)}, row by row into
 * {@link Rows}: each member's value where the checker can read it without a line to parse
 * ({@link io.amply.ledger.hash.ExportLineChecker#checkFields}), and for the reference path the row
 * as an entry ({@link Rows#entry}). The metadata is json: its text as stored, which
 * PostgreSQL checked to be one JSON value. COPY is what the replica sends a million rows with least
 * work: no message per row and column formats to look up, timestamps and numbers as stored
 * (docs/benchmarks.md). Not thread-safe: one per COPY.
 */
public final class ChainCopy {

    /**
     * The COPY of the first {@code limit} entries with {@code after < sequence <= upTo} (no lower
     * bound when {@code after} is null) of the organisation set for the transaction ({@code amply_set_org}):
     * COPY takes no parameters, so no organisation id is ever written into the SQL, only two
     * numbers. Every row it selects has that {@code organisation_id}, so the column is not sent a
     * million times: the rows carry the id the COPY selected by (a twelfth of what the replica
     * would send and format).
     */
    public static String copy(Long after, long upTo, long limit) {
        return "COPY (SELECT id, sequence, type, amount, currency, visibility, metadata, created_at, content_hash,"
                + " prev_entry_hash, entry_hash FROM ledger_entries WHERE organisation_id = amply_current_org()"
                + (after == null ? "" : " AND sequence > " + after) + " AND sequence <= " + upTo
                + " ORDER BY sequence LIMIT " + limit + ") TO STDOUT (FORMAT binary)";
    }

    /** The members in an export line's order (ledger-hash-v1 §6), as {@link Rows} numbers them: id 0 … entry_hash 11. */
    private static final int MEMBERS = 12;
    private static final int ORGANISATION_ID = 1;
    private static final int SEQUENCE = 2;
    private static final int AMOUNT = 4;
    private static final int METADATA = 7;
    private static final int CREATED_AT = 8;
    /** The member each of the COPY's columns holds. */
    private static final int[] MEMBER_OF_COLUMN = {0, SEQUENCE, 3, AMOUNT, 5, 6, METADATA, CREATED_AT, 9, 10, 11};
    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};
    /** PostgreSQL counts timestamps in microseconds from 2000-01-01T00:00:00Z. */
    private static final long POSTGRES_EPOCH_SECONDS = 946_684_800L;

    /** The COPY's data as it comes, one message at a time (PostgreSQL sends a row per message). */
    public interface Source {
        /** The next message's bytes, or null at the end of the COPY. */
        byte[] next() throws IOException;
    }

    private final Source source;
    /** The message being read, or the bytes kept from several when a value spans messages. */
    private byte[] buffer = new byte[0];
    private int pos;
    private int limit;
    private boolean started;

    public ChainCopy(Source source) {
        this.source = source;
    }

    /** Reads {@code copy}'s messages as they are, without copying them into a stream's buffer first. */
    public static Source of(CopyOut copy) {
        return () -> {
            try {
                return copy.readFromCopy();
            } catch (SQLException e) {
                throw new IOException(e.getMessage(), e);
            }
        };
    }

    /** Appends the next row to {@code rows}; false when the COPY has ended. */
    public boolean next(Rows rows) throws IOException {
        if (!started) {
            header();
            started = true;
        }
        need(2);
        int columns = readShort();
        if (columns == -1) {
            return false;
        }
        if (columns != MEMBER_OF_COLUMN.length) {
            throw new IOException("a COPY row with " + columns + " columns, not " + MEMBER_OF_COLUMN.length);
        }
        rows.begin();
        for (int member : MEMBER_OF_COLUMN) {
            need(4);
            int length = readInt();
            if (length == -1) {
                rows.setNull(member);
                continue;
            }
            need(length);
            switch (member) {
                case SEQUENCE, AMOUNT -> rows.setNumber(member, readLong(length));
                case CREATED_AT -> rows.setTime(readLong(length));
                default -> {
                    rows.setText(member, buffer, pos, length);
                    pos += length;
                }
            }
        }
        rows.end();
        return true;
    }

    private void header() throws IOException {
        need(SIGNATURE.length + 8);
        if (!Arrays.equals(buffer, pos, pos + SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length)) {
            throw new IOException("not a binary COPY");
        }
        pos += SIGNATURE.length;
        readInt(); // flags: none that change the tuples
        int extension = readInt();
        need(extension);
        pos += extension;
    }

    private long readLong(int length) throws IOException {
        if (length != 8) {
            throw new IOException("a COPY integer of " + length + " bytes, not 8");
        }
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = value << 8 | buffer[pos++] & 0xFF;
        }
        return value;
    }

    private int readInt() {
        int value = (buffer[pos] & 0xFF) << 24 | (buffer[pos + 1] & 0xFF) << 16 | (buffer[pos + 2] & 0xFF) << 8
                | buffer[pos + 3] & 0xFF;
        pos += 4;
        return value;
    }

    private int readShort() {
        int value = (short) ((buffer[pos] & 0xFF) << 8 | buffer[pos + 1] & 0xFF);
        pos += 2;
        return value;
    }

    /** Makes sure the next {@code count} bytes are in the buffer from {@link #pos}. */
    private void need(int count) throws IOException {
        if (count < 0) {
            throw new IOException("a COPY field of negative length");
        }
        if (limit - pos >= count) {
            return;
        }
        if (pos == limit) {
            // The usual case at a row's start: read the next message where it is.
            byte[] message = source.next();
            if (message == null) {
                throw new EOFException("the COPY ended in the middle of a row");
            }
            buffer = message;
            pos = 0;
            limit = message.length;
            if (limit >= count) {
                return;
            }
        }
        byte[] joined = Arrays.copyOfRange(buffer, pos, Math.max(pos + count, limit));
        limit -= pos;
        pos = 0;
        buffer = joined;
        while (limit < count) {
            byte[] message = source.next();
            if (message == null) {
                throw new EOFException("the COPY ended in the middle of a row");
            }
            if (buffer.length < limit + message.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, limit + message.length));
            }
            System.arraycopy(message, 0, buffer, limit, message.length);
            limit += message.length;
        }
    }

    /**
     * Rows one after another in one buffer: member m of row r at
     * {@code bytes()[ranges()[at(r) + 2m], ranges()[at(r) + 2m + 1])} (UTF-8 of a string without
     * quotes or escapes, the metadata's JSON text, {@code created_at} in the contract's format; a
     * from of -1 for NULL), {@code sequence} and {@code amount} as numbers. The organisation id is
     * written once, first, and every row points at it. Reused after {@link #clear()}.
     */
    public static final class Rows {
        /** Two ints (from, to) per member. */
        private static final int SLOTS = 2 * MEMBERS;
        private final byte[] organisation;
        private byte[] bytes;
        private int length;
        private int[] ranges;
        private long[] sequences;
        private long[] amounts;
        private int count;
        private int at;

        public Rows(String organisationId, int bytes, int rows) {
            this.organisation = organisationId.getBytes(StandardCharsets.UTF_8);
            this.bytes = new byte[Math.max(bytes, organisation.length)];
            this.ranges = new int[rows * SLOTS];
            this.sequences = new long[rows];
            this.amounts = new long[rows];
            clear();
        }

        public void clear() {
            System.arraycopy(organisation, 0, bytes, 0, organisation.length);
            length = organisation.length;
            count = 0;
        }

        public int count() {
            return count;
        }

        public byte[] bytes() {
            return bytes;
        }

        public int[] ranges() {
            return ranges;
        }

        /** Where row {@code row}'s ranges start in {@link #ranges()}. */
        public int at(int row) {
            return row * SLOTS;
        }

        public long sequence(int row) {
            return sequences[row];
        }

        public long amount(int row) {
            return amounts[row];
        }

        void begin() {
            if (count == sequences.length) {
                int rows = count * 2;
                ranges = Arrays.copyOf(ranges, rows * SLOTS);
                sequences = Arrays.copyOf(sequences, rows);
                amounts = Arrays.copyOf(amounts, rows);
            }
            at = count * SLOTS;
            ranges[at + 2 * ORGANISATION_ID] = 0;
            ranges[at + 2 * ORGANISATION_ID + 1] = organisation.length;
        }

        void end() {
            count++;
        }

        void setNull(int member) {
            ranges[at + 2 * member] = -1;
            ranges[at + 2 * member + 1] = -1;
        }

        void setNumber(int member, long value) {
            (member == SEQUENCE ? sequences : amounts)[count] = value;
            ranges[at + 2 * member] = 0;
            ranges[at + 2 * member + 1] = 0;
        }

        void setText(int member, byte[] from, int offset, int size) {
            ensure(size);
            System.arraycopy(from, offset, bytes, length, size);
            ranges[at + 2 * member] = length;
            length += size;
            ranges[at + 2 * member + 1] = length;
        }

        void setTime(long micros) {
            ensure(40);
            ranges[at + 2 * CREATED_AT] = length;
            // PostgreSQL's -infinity and infinity: strings the verifier refuses as created_at, as it should.
            if (micros == Long.MIN_VALUE || micros == Long.MAX_VALUE) {
                ascii(micros == Long.MAX_VALUE ? "infinity" : "-infinity");
            } else {
                Instant instant = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L) + POSTGRES_EPOCH_SECONDS,
                        Math.floorMod(micros, 1_000_000L) * 1_000L);
                int written = LedgerTime.format(instant, bytes, length);
                if (written < 0) {
                    ascii(LedgerTime.format(instant));
                } else {
                    length += written;
                }
            }
            ranges[at + 2 * CREATED_AT + 1] = length;
        }

        private void ascii(String text) {
            ensure(text.length());
            for (int i = 0; i < text.length(); i++) {
                bytes[length++] = (byte) text.charAt(i);
            }
        }

        private void ensure(int more) {
            if (bytes.length - length < more) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }

        /**
         * Row {@code row} as an entry, for the reference path: each value as the row holds it,
         * NULL as null, the metadata parsed as the reference parses it. Throws
         * IllegalArgumentException when the row cannot be an entry (a NULL sequence, metadata that
         * is not a JSON object).
         */
        public LedgerEntry entry(int row) {
            int base = at(row);
            if (ranges[base + 2 * SEQUENCE] < 0) {
                throw new IllegalArgumentException("sequence is null");
            }
            String metadata = text(base, METADATA);
            return new LedgerEntry(text(base, 0), text(base, ORGANISATION_ID), sequences[row], text(base, 3),
                    ranges[base + 2 * AMOUNT] < 0 ? null : amounts[row], text(base, 5), text(base, 6),
                    metadata == null ? null : LedgerEntry.metadataFromJson(metadata), text(base, CREATED_AT),
                    text(base, 9), text(base, 10), text(base, 11));
        }

        private String text(int base, int member) {
            int from = ranges[base + 2 * member];
            return from < 0 ? null : new String(bytes, from, ranges[base + 2 * member + 1] - from, StandardCharsets.UTF_8);
        }
    }
}
