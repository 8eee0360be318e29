package io.amply.query.ledger;

import io.amply.ledger.hash.LedgerTime;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * An organisation's whole chain read with {@code COPY … TO STDOUT (FORMAT binary)} and turned, row by
 * row, into export lines (ledger-hash-v1 §6) for the same line checker the command-line verifier
 * uses. COPY is what the replica sends a million rows with least work: no message per row and
 * column formats to look up, timestamps and numbers as stored (docs/benchmarks.md).
 *
 * <p>Each line is a faithful JSON rendering of its row: strings are escaped where JSON needs it, a
 * NULL is {@code null}, the metadata is the text PostgreSQL makes of the {@code jsonb} (always one
 * JSON value, never a line break), and {@code created_at} is written in the contract's format. So whatever a row
 * holds, even after tampering, the line says exactly that; the checker never sees a row other than
 * it is. Not thread-safe: one per COPY.
 */
public final class ChainCopy {

    /**
     * The COPY of the entries with {@code after < sequence <= upTo} (no lower bound when
     * {@code after} is null) of the organisation set for the transaction ({@code amply_set_org}):
     * COPY takes no parameters, so no organisation id is ever written into the SQL, only two
     * numbers. Every row it selects has that {@code organisation_id}, so the column is not sent a
     * million times: the lines carry the id the COPY selected by (a twelfth of what the replica
     * would send and format).
     */
    public static String copy(Long after, long upTo) {
        return "COPY (SELECT id, sequence, type, amount, currency, visibility, metadata, created_at, content_hash,"
                + " prev_entry_hash, entry_hash FROM ledger_entries WHERE organisation_id = amply_current_org()"
                + (after == null ? "" : " AND sequence > " + after) + " AND sequence <= " + upTo
                + " ORDER BY sequence) TO STDOUT (FORMAT binary)";
    }

    private static final int COLUMNS = 11;
    /** How each of the COPY's columns is written. */
    private static final int STRING = 0;
    private static final int INTEGER = 1;
    private static final int JSON = 2;
    private static final int TIMESTAMP = 3;
    private static final int[] KINDS = {STRING, INTEGER, STRING, INTEGER, STRING, STRING, JSON, TIMESTAMP,
            STRING, STRING, STRING};
    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};
    private static final byte[] NULL = utf8("null")[0];
    private static final byte[] HEX = utf8("0123456789abcdef")[0];
    /** PostgreSQL counts timestamps in microseconds from 2000-01-01T00:00:00Z. */
    private static final long POSTGRES_EPOCH_SECONDS = 946_684_800L;

    private final InputStream in;
    /** What comes before each column's value: its member name, and after the id the organisation's. */
    private final byte[][] members;
    private byte[] buffer = new byte[64 * 1024];
    private int pos;
    private int limit;
    private boolean started;

    /** @param organisationId the organisation set for the COPY's transaction (its rows all have it) */
    public ChainCopy(InputStream in, String organisationId) {
        this.in = in;
        this.members = utf8("{\"id\":", ",\"organisation_id\":" + quoted(organisationId) + ",\"sequence\":",
                ",\"type\":", ",\"amount\":", ",\"currency\":", ",\"visibility\":", ",\"metadata\":",
                ",\"created_at\":", ",\"content_hash\":", ",\"prev_entry_hash\":", ",\"entry_hash\":");
    }

    /** The organisation id as a JSON string (an id as asked for, so escaped as any string would be). */
    private static String quoted(String organisationId) {
        StringBuilder json = new StringBuilder(organisationId.length() + 2).append('"');
        for (char c : organisationId.toCharArray()) {
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        return json.append('"').toString();
    }

    /** Appends the next row to {@code lines} as one line; false when the COPY has ended. */
    public boolean next(Lines lines) throws IOException {
        if (!started) {
            header();
            started = true;
        }
        need(2);
        int columns = readShort();
        if (columns == -1) {
            return false;
        }
        if (columns != COLUMNS) {
            throw new IOException("a COPY row with " + columns + " columns, not " + COLUMNS);
        }
        for (int column = 0; column < COLUMNS; column++) {
            lines.put(members[column]);
            need(4);
            int length = readInt();
            if (length == -1) {
                lines.put(NULL);
                continue;
            }
            need(length);
            switch (KINDS[column]) {
                case STRING -> {
                    string(lines, length);
                    pos += length;
                }
                case JSON -> {
                    // jsonb's binary form: a version byte, then the text PostgreSQL makes of it
                    if (length < 1 || buffer[pos] != 1) {
                        throw new IOException("not jsonb of version 1");
                    }
                    lines.put(buffer, pos + 1, length - 1);
                    pos += length;
                }
                case INTEGER -> lines.putNumber(readLong(length));
                default -> timestamp(lines, readLong(length));
            }
        }
        lines.put((byte) '}');
        lines.endLine();
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

    /** A JSON string of the column's UTF-8 (checked by PostgreSQL), escaped only where JSON needs it. */
    private void string(Lines lines, int length) {
        lines.put((byte) '"');
        int end = pos + length;
        int plain = pos;
        // Runs that need no escaping (all of a well-formed entry's strings) are copied at once.
        for (int i = pos; i < end; i++) {
            byte b = buffer[i];
            if (b == '"' || b == '\\' || b >= 0 && b < 0x20) {
                lines.put(buffer, plain, i - plain);
                plain = i + 1;
                lines.put((byte) '\\');
                if (b < 0x20) {
                    lines.put((byte) 'u');
                    lines.put((byte) '0');
                    lines.put((byte) '0');
                    lines.put(HEX[b >> 4]);
                    lines.put(HEX[b & 0xF]);
                } else {
                    lines.put(b);
                }
            }
        }
        lines.put(buffer, plain, end - plain);
        lines.put((byte) '"');
    }

    private void timestamp(Lines lines, long micros) {
        // PostgreSQL's -infinity and infinity: strings the verifier refuses as created_at, as it should.
        if (micros == Long.MIN_VALUE || micros == Long.MAX_VALUE) {
            string(lines, micros == Long.MAX_VALUE ? "infinity" : "-infinity");
            return;
        }
        Instant instant = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L) + POSTGRES_EPOCH_SECONDS,
                Math.floorMod(micros, 1_000_000L) * 1_000L);
        lines.ensure(29);
        lines.put((byte) '"');
        int written = LedgerTime.format(instant, lines.bytes, lines.length);
        if (written < 0) {
            lines.putAscii(LedgerTime.format(instant));
        } else {
            lines.length += written;
        }
        lines.put((byte) '"');
    }

    private void string(Lines lines, String ascii) {
        lines.ensure(ascii.length() + 2);
        lines.put((byte) '"');
        lines.putAscii(ascii);
        lines.put((byte) '"');
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
        System.arraycopy(buffer, pos, buffer, 0, limit - pos);
        limit -= pos;
        pos = 0;
        if (buffer.length < count) {
            buffer = Arrays.copyOf(buffer, Math.max(count, buffer.length * 2));
        }
        while (limit < count) {
            int read = in.read(buffer, limit, buffer.length - limit);
            if (read < 0) {
                throw new EOFException("the COPY ended in the middle of a row");
            }
            limit += read;
        }
    }

    private static byte[][] utf8(String... texts) {
        byte[][] bytes = new byte[texts.length][];
        for (int i = 0; i < texts.length; i++) {
            bytes[i] = texts[i].getBytes(StandardCharsets.UTF_8);
        }
        return bytes;
    }

    /**
     * Lines one after another in one buffer, without terminators: line {@code i} is
     * {@code bytes()[from(i), to(i))}. Reused after {@link #clear()}.
     */
    public static final class Lines {
        private byte[] bytes;
        private int length;
        private int[] ends;
        private int count;

        public Lines(int bytes, int lines) {
            this.bytes = new byte[bytes];
            this.ends = new int[lines];
        }

        public byte[] bytes() {
            return bytes;
        }

        public int count() {
            return count;
        }

        /** Bytes held, of whole lines and of a line begun. */
        public int length() {
            return length;
        }

        public int from(int line) {
            return line == 0 ? 0 : ends[line - 1];
        }

        public int to(int line) {
            return ends[line];
        }

        public void clear() {
            length = 0;
            count = 0;
        }

        void endLine() {
            if (count == ends.length) {
                ends = Arrays.copyOf(ends, count * 2);
            }
            ends[count++] = length;
        }

        void ensure(int more) {
            if (bytes.length - length < more) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }

        void put(byte b) {
            if (length == bytes.length) {
                ensure(1);
            }
            bytes[length++] = b;
        }

        void put(byte[] text) {
            put(text, 0, text.length);
        }

        void put(byte[] from, int at, int count) {
            ensure(count);
            System.arraycopy(from, at, bytes, length, count);
            length += count;
        }

        void putAscii(String text) {
            ensure(text.length());
            for (int i = 0; i < text.length(); i++) {
                bytes[length++] = (byte) text.charAt(i);
            }
        }

        void putNumber(long value) {
            putAscii(Long.toString(value));
        }
    }
}
