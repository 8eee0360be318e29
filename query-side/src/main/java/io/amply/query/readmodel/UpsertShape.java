package io.amply.query.readmodel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a rebuild needs to know to batch an {@code INSERT … VALUES (…) ON CONFLICT (…) DO UPDATE}:
 * which arguments are the conflict key (two rows with one key must not share a multi-row INSERT,
 * which PostgreSQL refuses), and, when every assignment is a counter ({@code c = t.c + excluded.c}),
 * which arguments add up, so that several writes to one row can be merged into one.
 *
 * <p>Limits, none of which the read models' SQL meets: a {@code ?} inside a string literal would
 * be counted as an argument, quoted identifiers are compared lower-cased, and keys are compared as
 * Java values (PostgreSQL treats two NULL keys as different rows).
 *
 * @param keyArgs      argument positions of the conflict key's columns
 * @param additiveArgs argument positions of the counters, or null if the update is not only counters
 */
record UpsertShape(int[] keyArgs, int[] additiveArgs) {

    private static final Pattern UPSERT = Pattern.compile(
            "^\\s*INSERT\\s+INTO\\s+\\w+(?:\\s+AS\\s+(\\w+))?\\s*\\((.*?)\\)\\s*VALUES\\s*\\((.*)\\)\\s*"
                    + "ON\\s+CONFLICT\\s*\\((.*?)\\)\\s*DO\\s+UPDATE\\s+SET\\s+(.*?)(\\s+WHERE\\s+.*)?\\s*$",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern DIRECT_ARGUMENT = Pattern.compile("^\\?(?:\\s*::\\s*\\w+)?$");
    private static final Pattern ASSIGNMENT = Pattern.compile("^(\\w+)\\s*=\\s*(\\w+)\\.(\\w+)\\s*\\+\\s*excluded\\.(\\w+)$",
            Pattern.CASE_INSENSITIVE);

    /** The shape of {@code sql}, or null if it is not an upsert this understands (it then goes one statement at a time). */
    static UpsertShape of(String sql) {
        Matcher m = UPSERT.matcher(sql);
        if (!m.matches()) {
            return null;
        }
        String alias = m.group(1);
        List<String> columns = split(m.group(2));
        List<String> values = split(m.group(3));
        if (columns.size() != values.size()) {
            return null;
        }
        // the argument each column takes directly, or -1 (a literal, an expression)
        int[] argumentOf = new int[columns.size()];
        int arguments = 0;
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            argumentOf[i] = DIRECT_ARGUMENT.matcher(value).matches() ? arguments : -1;
            arguments += (int) value.chars().filter(c -> c == '?').count();
        }
        int[] keyArgs = positions(split(m.group(4)), columns, argumentOf);
        if (keyArgs == null) {
            return null;
        }
        int[] additiveArgs = m.group(6) == null ? counters(split(m.group(5)), alias, columns, argumentOf) : null;
        return new UpsertShape(keyArgs, additiveArgs);
    }

    private static int[] counters(List<String> assignments, String alias, List<String> columns, int[] argumentOf) {
        List<String> counted = new ArrayList<>();
        for (String assignment : assignments) {
            Matcher a = ASSIGNMENT.matcher(assignment);
            if (!a.matches() || alias == null || !a.group(2).equalsIgnoreCase(alias)
                    || !a.group(1).equalsIgnoreCase(a.group(3)) || !a.group(1).equalsIgnoreCase(a.group(4))) {
                return null;
            }
            counted.add(a.group(1));
        }
        return positions(counted, columns, argumentOf);
    }

    private static int[] positions(List<String> names, List<String> columns, int[] argumentOf) {
        int[] positions = new int[names.size()];
        for (int i = 0; i < names.size(); i++) {
            int column = columns.indexOf(names.get(i).toLowerCase(Locale.ROOT));
            if (column < 0 || argumentOf[column] < 0) {
                return null;
            }
            positions[i] = argumentOf[column];
        }
        return positions;
    }

    /** Splits at the commas outside parentheses and quotes, each part trimmed and lower-cased. */
    private static List<String> split(String list) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < list.length(); i++) {
            char c = list.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')') {
                depth--;
            } else if (!quoted && depth == 0 && c == ',') {
                parts.add(list.substring(start, i).trim().toLowerCase(Locale.ROOT));
                start = i + 1;
            }
        }
        parts.add(list.substring(start).trim().toLowerCase(Locale.ROOT));
        return parts;
    }

    /** The conflict key of one write's arguments. */
    List<Object> key(Object[] args) {
        List<Object> key = new ArrayList<>(keyArgs.length);
        for (int position : keyArgs) {
            key.add(args[position]);
        }
        return key;
    }

    /** Whether a second write to the same row can be folded into the first ({@link #merge}). */
    boolean mergeable(Object[] args) {
        if (additiveArgs == null) {
            return false;
        }
        for (int position : additiveArgs) {
            if (!(args[position] instanceof Long || args[position] instanceof Integer)) {
                return false;
            }
        }
        return true;
    }

    /** The arguments of one write that does what {@code first} then {@code second} did: the counters summed. */
    Object[] merge(Object[] first, Object[] second) {
        Object[] merged = first.clone();
        for (int position : additiveArgs) {
            merged[position] = first[position] instanceof Integer a && second[position] instanceof Integer b
                    ? (Object) Math.addExact(a, b)
                    : (Object) Math.addExact(((Number) first[position]).longValue(), ((Number) second[position]).longValue());
        }
        return merged;
    }
}
