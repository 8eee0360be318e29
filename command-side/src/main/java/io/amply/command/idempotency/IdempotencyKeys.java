package io.amply.command.idempotency;

import io.amply.command.security.Caller;
import io.amply.command.web.ApiPaths;
import io.amply.command.web.RequestIds;
import io.amply.events.api.ApiError;
import io.amply.events.api.ApiErrorCode;
import io.amply.events.api.DatabaseUnavailable;
import io.amply.events.identity.ThreadRandom;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * {@code Idempotency-Key} on every create/record request: the same key with the same request
 * returns the first response again and writes nothing new; the same key with a different
 * request is a {@code conflict}. Keys are per user and kept 24 hours. A request that failed on
 * our side (5xx), or gave up waiting for locks (429), before any of its commands committed releases
 * its key so that the client's retry runs again. A key whose commands committed is never run again, even when its response was lost
 * with the node that served it ({@link IdempotentCommands} marks it in the commands' transaction).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class IdempotencyKeys extends OncePerRequestFilter {

    static final String HEADER = "Idempotency-Key";
    /** A key whose first request has not finished after this long was abandoned (a crash); it may be retaken. */
    private static final String ABANDONED_AFTER = "2 minutes";

    private static final Logger log = LoggerFactory.getLogger(IdempotencyKeys.class);

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    IdempotencyKeys(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = ApiPaths.routed(request);
        return !"POST".equals(request.getMethod()) || request.getHeader(HEADER) == null
                || !path.startsWith("/v1/") || path.startsWith("/v1/webhooks/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Caller caller = (Caller) request.getAttribute(Caller.class.getName());
        String key = request.getHeader(HEADER);
        if (caller == null) {
            chain.doFilter(request, response); // authentication already answered
            return;
        }
        if (key.isEmpty() || key.length() > 255 || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            error(request, response, ApiErrorCode.INVALID_REQUEST, "Idempotency-Key must be 1 to 255 visible ASCII characters (no spaces)");
            return;
        }
        byte[] body = request.getInputStream().readAllBytes();
        String requestHash = hash(request.getMethod() + " " + ApiPaths.routed(request) + "\n", body);

        IdempotentCommands.Claim claim = new IdempotentCommands.Claim(caller.userId(), key, ThreadRandom.nextLong());
        if (!claim(claim, requestHash)) {
            List<Map<String, Object>> rows = jdbc.queryForList(
                    "SELECT request_hash, response_status, response_body, recorded, claim IS NULL OR created_at < now() - interval '"
                            + ABANDONED_AFTER + "' AS unattended FROM idempotency_keys WHERE user_id = ? AND idempotency_key = ?",
                    caller.userId(), key);
            if (rows.isEmpty()) {
                error(request, response, ApiErrorCode.CONFLICT, "a request with this Idempotency-Key is being retried; try again");
            } else if (!requestHash.equals(rows.get(0).get("request_hash"))) {
                error(request, response, ApiErrorCode.CONFLICT,
                        "this Idempotency-Key was already used for a different request");
            } else if (rows.get(0).get("response_status") == null && Boolean.TRUE.equals(rows.get(0).get("recorded"))
                    && Boolean.TRUE.equals(rows.get(0).get("unattended"))) {
                // its commands committed, and no request is still on its way to storing the response
                error(request, response, ApiErrorCode.CONFLICT, "the request with this Idempotency-Key was recorded but "
                        + "its response was lost; it will not run again: look up what it created before sending it anew");
            } else if (rows.get(0).get("response_status") == null) {
                error(request, response, ApiErrorCode.CONFLICT, "a request with this Idempotency-Key is still in progress");
            } else {
                response.setStatus((Integer) rows.get(0).get("response_status"));
                response.setContentType(MediaType.APPLICATION_JSON_VALUE);
                response.setHeader("Idempotent-Replayed", "true");
                response.getOutputStream().write(rows.get(0).get("response_body").toString().getBytes(StandardCharsets.UTF_8));
            }
            return;
        }

        ContentCachingResponseWrapper captured = new ContentCachingResponseWrapper(response);
        boolean completed = false;
        IdempotentCommands.serving(claim);
        try {
            chain.doFilter(new ReplayableBody(request, body), captured);
            // a wait for locks given up (429, Contention) wrote nothing either: the retry must run, not be told 429 again
            completed = captured.getStatus() < 500 && captured.getStatus() != ApiErrorCode.RATE_LIMIT_EXCEEDED.httpStatus();
        } finally {
            IdempotentCommands.served();
            try {
                keep(request, claim, captured, completed);
            } catch (RuntimeException e) {
                // the answer stands (its commands may have committed); the key stays held, and a retry is told why
                if (DatabaseUnavailable.is(e)) { // an outage, logged with each request: no stack trace here too
                    log.warn("could not store the outcome of Idempotency-Key {} of user {}: {}", key, claim.userId(), e.toString());
                } else {
                    log.warn("could not store the outcome of Idempotency-Key {} of user {}", key, claim.userId(), e);
                }
            }
            captured.copyBodyToResponse();
        }
    }

    /** The response, or the key released; each only while this request still holds the key (a retry may have taken an abandoned claim). */
    private void keep(HttpServletRequest request, IdempotentCommands.Claim claim, ContentCachingResponseWrapper captured,
                      boolean completed) {
        if (completed) {
            jdbc.update("""
                    UPDATE idempotency_keys SET response_status = ?, response_body = ?
                     WHERE user_id = ? AND idempotency_key = ? AND claim = ?""",
                    captured.getStatus(),
                    ResponseSecrets.storable(request, new String(captured.getContentAsByteArray(), StandardCharsets.UTF_8)),
                    claim.userId(), claim.key(), claim.token());
        } else if (jdbc.update("DELETE FROM idempotency_keys WHERE user_id = ? AND idempotency_key = ? AND claim = ? AND NOT recorded",
                claim.userId(), claim.key(), claim.token()) == 0) {
            // its commands committed but the answer was a failure: no request holds the key now, and
            // retries are told at once that it was recorded
            jdbc.update("UPDATE idempotency_keys SET claim = NULL WHERE user_id = ? AND idempotency_key = ? AND claim = ?",
                    claim.userId(), claim.key(), claim.token());
        }
    }

    /**
     * Takes the key for this request; false when someone already holds it (finished or not). A claim
     * left without a response for two minutes was abandoned by a node that died (or one that is very
     * late: its commands then find the key taken and roll back, {@link IdempotentCommands}); it is
     * taken again only if none of its commands committed.
     */
    private boolean claim(IdempotentCommands.Claim claim, String requestHash) {
        int inserted = jdbc.update("""
                INSERT INTO idempotency_keys (user_id, idempotency_key, request_hash, claim) VALUES (?, ?, ?, ?)
                ON CONFLICT (user_id, idempotency_key) DO UPDATE
                   SET request_hash = EXCLUDED.request_hash, claim = EXCLUDED.claim, created_at = now()
                 WHERE idempotency_keys.response_status IS NULL
                   AND NOT idempotency_keys.recorded
                   AND idempotency_keys.request_hash = EXCLUDED.request_hash
                   AND idempotency_keys.created_at < now() - interval '""" + ABANDONED_AFTER + "'",
                claim.userId(), claim.key(), requestHash, claim.token());
        return inserted == 1;
    }

    @Scheduled(fixedDelayString = "PT10M")
    void forgetOldKeys() {
        // in pieces: each statement stays far within the connections' statement_timeout, however many keys a day left
        while (jdbc.update("""
                DELETE FROM idempotency_keys WHERE ctid = ANY (ARRAY(
                    SELECT ctid FROM idempotency_keys WHERE created_at < now() - interval '24 hours' LIMIT 10000))""") == 10000) {
            log.debug("forgot 10000 Idempotency-Keys older than a day; more to go");
        }
    }

    private void error(HttpServletRequest request, HttpServletResponse response, ApiErrorCode code, String message)
            throws IOException {
        response.setStatus(code.httpStatus());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setHeader("X-Request-Id", RequestIds.current(request));
        json.writeValue(response.getOutputStream(), ApiError.of(code, message, HEADER));
    }

    private static String hash(String head, byte[] body) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(head.getBytes(StandardCharsets.UTF_8));
            digest.update(body);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The request with its body read once and served again to the controller. */
    private static final class ReplayableBody extends HttpServletRequestWrapper {
        private final byte[] body;

        ReplayableBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("synchronous reads only");
                }

                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }
            };
        }

        @Override
        public java.io.BufferedReader getReader() {
            return new java.io.BufferedReader(new java.io.InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }
    }
}
