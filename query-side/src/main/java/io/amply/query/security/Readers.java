package io.amply.query.security;

import io.amply.db.TenantContext;
import io.amply.events.api.ApiErrorCode;
import io.amply.query.web.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Who may read an organisation's full (non-public) ledger: its owners, admins and finance users,
 * its auditors, and platform staff. The credential is an API key ({@code Authorization: Bearer
 * sk_…}), checked against the primary, where keys and memberships live.
 */
@Component
public class Readers {

    /** The roles that see every entry's content, whatever its visibility. */
    public static final Set<String> FULL_LEDGER = Set.of("owner", "admin", "finance", "auditor");

    private static final String CALLER = Readers.class.getName() + ".caller";

    private final JdbcTemplate primary;
    private final TransactionTemplate transactions;

    Readers(JdbcTemplate primary, TransactionTemplate transactions) {
        this.primary = primary;
        this.transactions = transactions;
    }

    /** Authenticates the request and requires one of {@code roles} in the organisation; returns the user id. */
    public String require(HttpServletRequest request, String organisationId, Set<String> roles) {
        return access(request, organisationId, roles)[0];
    }

    /**
     * Authenticates the request and requires one of {@code roles} in the organisation; returns the
     * caller's role there ({@code platform_admin} for platform staff).
     */
    public String role(HttpServletRequest request, String organisationId, Set<String> roles) {
        return access(request, organisationId, roles)[1];
    }

    /**
     * Authenticates the request, before anything it names is looked up: a request without a valid
     * credential learns nothing, not even whether a fund exists. The caller is kept on the request.
     */
    public void authenticate(HttpServletRequest request) {
        caller(request);
    }

    private String[] access(HttpServletRequest request, String organisationId, Set<String> roles) {
        String[] caller = caller(request);
        if (!organisationId.startsWith("org_")) {
            // an id of another kind names no organisation, for anyone (as on the command side); its form tells nothing
            throw new ApiException(ApiErrorCode.NOT_FOUND, "no organisation " + organisationId, null);
        }
        if ("platform_admin".equals(caller[1])) {
            return caller;
        }
        String userId = caller[0];
        List<String> role = transactions.execute(status -> {
            primary.query(TenantContext.SET_ORGANISATION, rs -> null, organisationId);
            return primary.queryForList("SELECT role FROM memberships WHERE user_id = ? AND organisation_id = ?",
                    String.class, userId, organisationId);
        });
        if (role == null || role.isEmpty()) {
            // not named: an id the caller holds must not tell whose it is (as on the command side)
            throw new ApiException(ApiErrorCode.AUTHORIZATION_ERROR, "you have no role in the organisation this belongs to", null);
        }
        if (!roles.contains(role.get(0))) {
            throw new ApiException(ApiErrorCode.AUTHORIZATION_ERROR, "reading this needs one of the roles "
                    + new java.util.TreeSet<>(roles) + "; yours is " + role.get(0), null);
        }
        return new String[]{userId, role.get(0)};
    }

    /** The caller's user id and platform role, looked up once per request. */
    private String[] caller(HttpServletRequest request) {
        if (request.getAttribute(CALLER) instanceof String[] known) {
            return known;
        }
        String header = request.getHeader("Authorization");
        if (header == null || !header.startsWith("Bearer sk_")) {
            throw new ApiException(ApiErrorCode.AUTHENTICATION_ERROR, "send a credential: Authorization: Bearer sk_…", null);
        }
        List<Object[]> users = primary.query("""
                        SELECT u.id, u.platform_role FROM api_keys k JOIN users u ON u.id = k.user_id
                         WHERE k.secret_hash = ? AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())""",
                (rs, n) -> new Object[]{rs.getString(1), rs.getString(2)}, sha256(header.substring("Bearer ".length()).trim()));
        if (users.isEmpty()) {
            throw new ApiException(ApiErrorCode.AUTHENTICATION_ERROR, "the API key is unknown, revoked or expired", null);
        }
        String[] caller = {(String) users.get(0)[0], (String) users.get(0)[1]};
        request.setAttribute(CALLER, caller);
        return caller;
    }

    private static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
