package io.amply.ledger.hash.cli;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict reader for the plain JSON that checkpoint files and JWK Sets are: ASCII, strings without
 * escapes, integers of at most 18 digits, no repeated names. It exists because setting up Jackson's
 * databind takes a good part of a second, as long as the rest of a verification. Anything else it
 * refuses ({@link #read} returns null), and the caller reads the file with Jackson as before, which
 * then accepts it or words the error.
 *
 * <p>Values are a String, a Long, a Boolean, {@link #NULL}, a List or a Map (in the file's order).
 */
final class SimpleJson {

    /** JSON null (a Map cannot hold Java null and say the member is there). */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    private static final int MAX_DEPTH = 32;
    private static final int MAX_DIGITS = 18;

    private static final RuntimeException NOT_SIMPLE = new RuntimeException("not simple JSON", null, false, false) {
    };

    private final byte[] text;
    private int pos;

    private SimpleJson(byte[] text) {
        this.text = text;
    }

    /** The file's top-level values, in order (several for JSON Lines), or null when it is not simple JSON. */
    static List<Object> read(byte[] text) {
        for (byte b : text) {
            // Printable ASCII and JSON's whitespace only: no BOM, no other encoding, no control characters.
            if (b < 0x20 && b != ' ' && b != '\t' && b != '\n' && b != '\r' || b == 0x7F) {
                return null;
            }
        }
        SimpleJson reader = new SimpleJson(text);
        try {
            List<Object> values = new ArrayList<>();
            reader.whitespace();
            while (reader.pos < text.length) {
                values.add(reader.value(0));
                reader.whitespace();
            }
            return values;
        } catch (RuntimeException e) {
            if (e == NOT_SIMPLE) {
                return null;
            }
            throw e;
        }
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) {
            throw NOT_SIMPLE;
        }
        byte c = peek();
        switch (c) {
            case '{' -> {
                return object(depth);
            }
            case '[' -> {
                return array(depth);
            }
            case '"' -> {
                return string();
            }
            case 't' -> {
                literal("true");
                return Boolean.TRUE;
            }
            case 'f' -> {
                literal("false");
                return Boolean.FALSE;
            }
            case 'n' -> {
                literal("null");
                return NULL;
            }
            default -> {
                return integer();
            }
        }
    }

    private Map<String, Object> object(int depth) {
        pos++;
        Map<String, Object> members = new LinkedHashMap<>();
        whitespace();
        if (peek() == '}') {
            pos++;
            return members;
        }
        while (true) {
            whitespace();
            if (peek() != '"') {
                throw NOT_SIMPLE;
            }
            String name = string();
            whitespace();
            expect(':');
            whitespace();
            if (members.put(name, value(depth + 1)) != null) {
                // A repeated name: Jackson refuses it (FAIL_ON_READING_DUP_TREE_KEY), with its own message.
                throw NOT_SIMPLE;
            }
            whitespace();
            byte c = next();
            if (c == '}') {
                return members;
            }
            if (c != ',') {
                throw NOT_SIMPLE;
            }
        }
    }

    private List<Object> array(int depth) {
        pos++;
        List<Object> elements = new ArrayList<>();
        whitespace();
        if (peek() == ']') {
            pos++;
            return elements;
        }
        while (true) {
            whitespace();
            elements.add(value(depth + 1));
            whitespace();
            byte c = next();
            if (c == ']') {
                return elements;
            }
            if (c != ',') {
                throw NOT_SIMPLE;
            }
        }
    }

    /** A string without escapes (the bytes are printable ASCII, checked in {@link #read}). */
    private String string() {
        int start = ++pos;
        while (true) {
            byte c = next();
            if (c == '"') {
                return new String(text, start, pos - 1 - start, StandardCharsets.US_ASCII);
            }
            if (c == '\\' || c < 0x20) {
                throw NOT_SIMPLE;
            }
        }
    }

    /** {@code -?(0|[1-9][0-9]*)}, not followed by a fraction or exponent: what Jackson reads as an int or a long. */
    private Long integer() {
        boolean negative = peek() == '-';
        if (negative) {
            pos++;
        }
        int start = pos;
        long value = 0;
        while (pos < text.length && text[pos] >= '0' && text[pos] <= '9') {
            value = value * 10 + (text[pos] - '0');
            pos++;
            if (pos - start > MAX_DIGITS) {
                throw NOT_SIMPLE;
            }
        }
        int digits = pos - start;
        if (digits == 0 || digits > 1 && text[start] == '0'
                || pos < text.length && (text[pos] == '.' || text[pos] == 'e' || text[pos] == 'E')) {
            throw NOT_SIMPLE;
        }
        return negative ? -value : value;
    }

    private void literal(String word) {
        for (int i = 0; i < word.length(); i++) {
            if (next() != word.charAt(i)) {
                throw NOT_SIMPLE;
            }
        }
        // "nullx", "true1": Jackson reads such a token as one unknown word, an error.
        if (pos < text.length && (Character.isLetterOrDigit(text[pos]) || text[pos] == '_' || text[pos] == '$')) {
            throw NOT_SIMPLE;
        }
    }

    private void whitespace() {
        while (pos < text.length && (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\n' || text[pos] == '\r')) {
            pos++;
        }
    }

    private void expect(char c) {
        if (next() != c) {
            throw NOT_SIMPLE;
        }
    }

    private byte peek() {
        if (pos >= text.length) {
            throw NOT_SIMPLE;
        }
        return text[pos];
    }

    private byte next() {
        if (pos >= text.length) {
            throw NOT_SIMPLE;
        }
        return text[pos++];
    }
}
