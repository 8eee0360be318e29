package io.amply.command.web;

/**
 * Free text from clients: trimmed, and refused when it carries control characters, including the
 * bidirectional overrides and isolates, which make a name shown on the public directory read
 * differently from what it is ("Wells for All" spelled backwards behind U+202E). Other format
 * characters stay: the zero-width joiner and non-joiner belong to emoji and to several scripts.
 * Half of a surrogate pair (valid JSON, {@code "\ud800"}, but no character) is refused too.
 */
public final class Text {

    private Text() {
    }

    /** Returns {@code value} stripped; null stays null. */
    public static String clean(String param, String value) {
        if (value == null) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || isBidiControl(c)) {
                throw ApiException.invalid(param, param + " must not contain control characters");
            }
            // half of a surrogate pair is no character at all: PostgreSQL would store it as '?'
            if (Character.isHighSurrogate(c) ? i + 1 == value.length() || !Character.isLowSurrogate(value.charAt(++i))
                    : Character.isLowSurrogate(c)) {
                throw ApiException.invalid(param, param + " must be valid Unicode text (a lone surrogate is not)");
            }
        }
        String stripped = stripSpaces(value);
        if (stripped.codePoints().allMatch(Text::invisible)) {
            throw ApiException.invalid(param, param + " must not be blank");
        }
        return stripped;
    }

    /** Without the spaces of any kind at either end (a no-break space too, which {@link String#strip} keeps). */
    private static String stripSpaces(String value) {
        int start = 0;
        int end = value.length();
        while (start < end && isSpace(value.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(value.charAt(end - 1))) {
            end--;
        }
        return value.substring(start, end);
    }

    private static boolean isSpace(int codePoint) {
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint);
    }

    /**
     * Shows nothing: a space, an invisible format character (zero-width space, word joiner, byte order mark), or a
     * Hangul filler. A name of only these reads as blank on a page.
     */
    private static boolean invisible(int codePoint) {
        return isSpace(codePoint) || Character.getType(codePoint) == Character.FORMAT
                || codePoint == 0x115F || codePoint == 0x1160 || codePoint == 0x3164 || codePoint == 0xFFA0 || codePoint == 0x2800;
    }

    private static boolean isBidiControl(char c) {
        return (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069') || c == '\u200E' || c == '\u200F'
                || c == '\u061C';
    }
}
