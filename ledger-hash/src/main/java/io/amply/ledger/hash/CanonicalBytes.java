package io.amply.ledger.hash;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Arrays;
import java.util.Map;

/**
 * A reusable buffer holding JCS output as UTF-8, so hashes are computed without building a
 * String and encoding it again. The bytes are exactly {@code Jcs.canonicalize(x).getBytes(UTF_8)}:
 * the same escaping, the same numbers, members in the same (UTF-16) order, and a lone surrogate
 * written as {@code ?} just as {@link String#getBytes} replaces it.
 *
 * <p>Not thread-safe; one per thread or per verifier.
 */
final class CanonicalBytes {

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Buffers larger than this are not kept for the next use. */
    private static final int RETAINED = 64 * 1024;

    private byte[] bytes = new byte[512];
    private int length;
    /** Members of the objects being written, reused across calls (objects nest, so it is a stack). */
    private Map.Entry<String, JsonNode>[] members = newMembers(16);
    private int membersTop;

    void reset() {
        length = 0;
        if (bytes.length > RETAINED) {
            // One huge entry should not leave a huge buffer behind (LedgerHashes keeps one per thread).
            bytes = new byte[512];
        }
    }

    byte[] bytes() {
        return bytes;
    }

    int length() {
        return length;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, length);
    }

    /** Drops what was written after {@code length}. */
    void truncate(int length) {
        this.length = length;
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }

    void put(byte b) {
        ensure(1);
        bytes[length++] = b;
    }

    /** A literal known to be ASCII, e.g. {@code ,"currency":}. */
    void ascii(String literal) {
        int n = literal.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            bytes[length++] = (byte) literal.charAt(i);
        }
    }

    void raw(byte[] source, int from, int to) {
        int n = to - from;
        ensure(n);
        System.arraycopy(source, from, bytes, length, n);
        length += n;
    }

    /** A long as JCS writes an IntNode or LongNode (see {@code Jcs.number}). */
    void number(long value) {
        // Same test as Jcs.number, Math.abs(Long.MIN_VALUE) quirk included, so the output is identical.
        if (Math.abs(value) <= LedgerHashes.MAX_SAFE_INTEGER) {
            integer(value);
        } else {
            ascii(Jcs.formatDouble((double) value));
        }
    }

    /** The decimal digits of a long, without a String. */
    void integer(long value) {
        if (value == Long.MIN_VALUE) {
            ascii(Long.toString(value));
            return;
        }
        ensure(20);
        if (value < 0) {
            bytes[length++] = '-';
            value = -value;
        }
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        int end = length + digits;
        for (int i = end - 1; i >= length; i--) {
            bytes[i] = (byte) ('0' + (value % 10));
            value /= 10;
        }
        length = end;
    }

    void stringOrNull(String value) {
        if (value == null) {
            ascii("null");
        } else {
            string(value);
        }
    }

    /** A JSON string as Jcs.writeString writes it, encoded as UTF-8. */
    void string(String value) {
        int n = value.length();
        ensure(n * 3 + 2);
        byte[] b = bytes;
        int p = length;
        b[p++] = '"';
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                if (c >= 0x20 && c != '"' && c != '\\') {
                    b[p++] = (byte) c;
                    continue;
                }
                // An escape takes up to 6 bytes for 1 char: make room beyond the 3 per char reserved.
                length = p;
                ensure(6 + (n - i) * 3 + 1);
                b = bytes;
                switch (c) {
                    case '"' -> { b[p++] = '\\'; b[p++] = '"'; }
                    case '\\' -> { b[p++] = '\\'; b[p++] = '\\'; }
                    case '\b' -> { b[p++] = '\\'; b[p++] = 'b'; }
                    case '\f' -> { b[p++] = '\\'; b[p++] = 'f'; }
                    case '\n' -> { b[p++] = '\\'; b[p++] = 'n'; }
                    case '\r' -> { b[p++] = '\\'; b[p++] = 'r'; }
                    case '\t' -> { b[p++] = '\\'; b[p++] = 't'; }
                    default -> {
                        b[p++] = '\\';
                        b[p++] = 'u';
                        b[p++] = '0';
                        b[p++] = '0';
                        b[p++] = HEX[c >> 4];
                        b[p++] = HEX[c & 0xF];
                    }
                }
            } else if (c < 0x800) {
                b[p++] = (byte) (0xC0 | (c >> 6));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                char low;
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(low = value.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, low);
                    b[p++] = (byte) (0xF0 | (cp >> 18));
                    b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                    b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                    b[p++] = (byte) (0x80 | (cp & 0x3F));
                    i++;
                } else {
                    // What String.getBytes(UTF_8) writes for an unpaired surrogate.
                    b[p++] = '?';
                }
            } else {
                b[p++] = (byte) (0xE0 | (c >> 12));
                b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        b[p++] = '"';
        length = p;
    }

    /** Any JSON tree, as Jcs.write writes it. */
    void value(JsonNode node) {
        switch (node.getNodeType()) {
            case NULL, MISSING -> ascii("null");
            case BOOLEAN -> ascii(node.booleanValue() ? "true" : "false");
            case STRING -> string(node.textValue());
            case NUMBER -> {
                if (node.isInt() || node.isLong()) {
                    number(node.longValue());
                } else {
                    ascii(Jcs.number(node));
                }
            }
            case ARRAY -> {
                put((byte) '[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) {
                        put((byte) ',');
                    }
                    value(node.get(i));
                }
                put((byte) ']');
            }
            case OBJECT -> object(node);
            default -> throw new IllegalArgumentException("not a JSON value: " + node.getNodeType());
        }
    }

    private void object(JsonNode node) {
        int base = membersTop;
        int n = node.size();
        if (base + n > members.length) {
            members = Arrays.copyOf(members, Math.max(members.length * 2, base + n));
        }
        for (Map.Entry<String, JsonNode> member : node.properties()) {
            members[membersTop++] = member;
        }
        try {
            // String.compareTo is the UTF-16 order JCS asks for; insertion sort suits the usual few members.
            if (n > 16) {
                Arrays.sort(members, base, membersTop, Map.Entry.comparingByKey());
            }
            for (int i = base + 1; i < membersTop; i++) {
                Map.Entry<String, JsonNode> m = members[i];
                int j = i - 1;
                while (j >= base && members[j].getKey().compareTo(m.getKey()) > 0) {
                    members[j + 1] = members[j];
                    j--;
                }
                members[j + 1] = m;
            }
            put((byte) '{');
            for (int i = base; i < membersTop; i++) {
                if (i > base) {
                    put((byte) ',');
                }
                string(members[i].getKey());
                put((byte) ':');
                value(members[i].getValue());
            }
            put((byte) '}');
        } finally {
            Arrays.fill(members, base, membersTop, null);
            membersTop = base;
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Map.Entry<String, JsonNode>[] newMembers(int size) {
        return (Map.Entry<String, JsonNode>[]) new Map.Entry[size];
    }
}
