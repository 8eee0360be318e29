package io.amply.command.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.amply.command.web.ApiPaths;
import io.amply.command.web.RequestIds;
import io.amply.events.api.ApiError;
import io.amply.events.api.ApiErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.List;

/**
 * {@code Authorization: Bearer sk_…} → the user it belongs to. Keys are stored as SHA-256 of
 * the secret; a revoked or unknown key gets {@code authentication_error}. Public paths need no
 * credential.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class ApiKeyAuthentication extends OncePerRequestFilter {

    private static final String ATTRIBUTE = Caller.class.getName();

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    ApiKeyAuthentication(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    static Caller caller(HttpServletRequest request) {
        return (Caller) request.getAttribute(ATTRIBUTE);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = ApiPaths.routed(request);
        return !path.startsWith("/v1/") || path.startsWith("/v1/public/") || path.startsWith("/v1/webhooks/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header == null || !header.startsWith("Bearer ")) {
            refuse(request, response, "send a credential: Authorization: Bearer sk_…");
            return;
        }
        String secret = header.substring("Bearer ".length()).trim();
        if (!secret.startsWith("sk_")) {
            refuse(request, response, "the credential is not an API key (sk_…)");
            return;
        }
        List<Caller> callers = jdbc.query("""
                        SELECT u.id, u.platform_role, k.id, k.expires_at FROM api_keys k JOIN users u ON u.id = k.user_id
                         WHERE k.secret_hash = ? AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())""",
                (rs, row) -> new Caller(rs.getString(1), "platform_admin".equals(rs.getString(2)), rs.getString(3),
                        rs.getTimestamp(4) == null ? null : rs.getTimestamp(4).toInstant()),
                ApiKeys.hash(secret));
        if (callers.isEmpty()) {
            refuse(request, response, "the API key is unknown, revoked or expired");
            return;
        }
        request.setAttribute(ATTRIBUTE, callers.get(0));
        chain.doFilter(request, response);
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, String message) throws IOException {
        response.setStatus(ApiErrorCode.AUTHENTICATION_ERROR.httpStatus());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setHeader("WWW-Authenticate", "Bearer");
        response.setHeader("X-Request-Id", RequestIds.current(request));
        json.writeValue(response.getOutputStream(), ApiError.of(ApiErrorCode.AUTHENTICATION_ERROR, message, null));
    }
}
