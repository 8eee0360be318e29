package io.amply.query.ledger;

/**
 * A PostgreSQL array literal ({@code {"a","b",NULL}}) built element by element, for sending a
 * column of a batch as one parameter. Text elements are always quoted, so nothing in them but
 * {@code "} and {@code \} needs escaping; null is the unquoted {@code NULL}.
 */
final class ArrayLiteral {

    private final StringBuilder out;
    private boolean first = true;

    ArrayLiteral(int capacity) {
        out = new StringBuilder(capacity).append('{');
    }

    ArrayLiteral text(String value) {
        separate();
        if (value == null) {
            out.append("NULL");
            return this;
        }
        out.append('"');
        int n = value.length();
        int from = 0;
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append(value, from, i).append('\\').append(c);
                from = i + 1;
            }
        }
        out.append(value, from, n).append('"');
        return this;
    }

    ArrayLiteral number(long value) {
        separate();
        out.append(value);
        return this;
    }

    private void separate() {
        if (!first) {
            out.append(',');
        }
        first = false;
    }

    /** The literal; call once, when every element is in. */
    String close() {
        return out.append('}').toString();
    }
}
