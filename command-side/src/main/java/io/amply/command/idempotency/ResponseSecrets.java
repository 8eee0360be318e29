package io.amply.command.idempotency;

import jakarta.servlet.http.HttpServletRequest;

/**
 * A secret a response shows once (a new API key) must not be kept with the response that an
 * {@code Idempotency-Key} replays: the stored copy would sit in plain text for a day and be handed
 * out again. The response names it here; the stored response has {@code null} in its place.
 */
public final class ResponseSecrets {

    private static final String ATTRIBUTE = ResponseSecrets.class.getName();

    private ResponseSecrets() {
    }

    /** {@code secret} appears in this request's response and is kept out of what is stored of it. */
    public static void shownOnce(HttpServletRequest request, String secret) {
        request.setAttribute(ATTRIBUTE, secret);
    }

    /** The response body as it may be stored: a named secret (a JSON string) replaced by {@code null}. */
    static String storable(HttpServletRequest request, String body) {
        return request.getAttribute(ATTRIBUTE) instanceof String secret ? body.replace("\"" + secret + "\"", "null") : body;
    }
}
