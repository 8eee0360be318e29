package io.amply.command.web;

/** Free text from clients: trimmed, and refused when it carries control characters. */
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
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                throw ApiException.invalid(param, param + " must not contain control characters");
            }
        }
        String stripped = value.strip();
        if (stripped.isEmpty()) {
            throw ApiException.invalid(param, param + " must not be blank");
        }
        return stripped;
    }
}
