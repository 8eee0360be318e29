package io.amply.command.user;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.amply.command.idempotency.ResponseSecrets;
import io.amply.command.lookup.Lookups;
import io.amply.command.security.ApiKeys;
import io.amply.command.security.Caller;
import io.amply.command.security.OrganisationAccess;
import io.amply.command.web.ApiException;
import io.amply.command.web.IdPages;
import io.amply.command.web.Ids;
import io.amply.command.web.Moments;
import io.amply.command.web.RequestIds;
import io.amply.command.web.Text;
import io.amply.db.TenantContext;
import io.amply.events.api.ApiData;
import io.amply.events.api.ApiErrorCode;
import io.amply.events.api.ApiEnvelope;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Future;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Users and their API keys. Users are personal data, kept in a mutable table and never in an
 * event, so erasing a person touches neither the event store nor the ledger. A key's secret is
 * shown once, at creation; only its SHA-256 is stored.
 */
@RestController
@RequestMapping("/v1/users")
class UserController {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record CreateUserRequest(@NotBlank @Email @Size(max = 320) String email, @NotBlank @Size(max = 200) String name) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record CreateKeyRequest(@Future Instant expiresAt) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final OrganisationAccess access;
    private final Lookups lookups;

    UserController(JdbcTemplate jdbc, TransactionTemplate transactions, OrganisationAccess access, Lookups lookups) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.access = access;
        this.lookups = lookups;
    }

    @ResponseStatus(HttpStatus.CREATED)
    @PostMapping
    @ApiData(UserAnswers.User.class)
    ResponseEntity<ApiEnvelope<Map<String, Object>>> create(@Valid @RequestBody CreateUserRequest request, Caller caller,
                                                            HttpServletRequest http) {
        access.requirePlatformAdmin(caller);
        String userId = Ids.next("usr_");
        // lower case can be longer than what was sent ("İ" becomes "i" and a combining dot)
        String email = Text.clean("email", request.email()).toLowerCase(java.util.Locale.ROOT);
        if (email.length() > 320) {
            throw ApiException.invalid("email", "email must be at most 320 characters in lower case");
        }
        try {
            jdbc.update("INSERT INTO users (id, email, name) VALUES (?, ?, ?)", userId, email, Text.clean("name", request.name()));
        } catch (DuplicateKeyException e) {
            throw ApiException.conflict("a user with this e-mail address exists");
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(ApiEnvelope.of(user(userId), RequestIds.current(http)));
    }

    @GetMapping("/me")
    @ApiData(UserAnswers.User.class)
    ApiEnvelope<Map<String, Object>> me(Caller caller, HttpServletRequest http) {
        return ApiEnvelope.of(user(caller.userId()), RequestIds.current(http));
    }

    /** A new API key for a user: their own, or any user's for platform staff. */
    @ResponseStatus(HttpStatus.CREATED)
    @PostMapping("/{userId}/api-keys")
    @ApiData(UserAnswers.ApiKeyCreated.class)
    ResponseEntity<ApiEnvelope<Map<String, Object>>> createKey(@PathVariable String userId,
                                                               @Valid @RequestBody(required = false) CreateKeyRequest request,
                                                               Caller caller, HttpServletRequest http) {
        access.requireSelfOrPlatformAdmin(caller, userId, "you may manage only your own API keys");
        user(userId);
        String keyId = Ids.next("key_");
        String secret = ApiKeys.newSecret();
        Instant expiresAt = request == null ? null : Moments.of("expires_at", request.expiresAt());
        // a key makes none that outlives it: a leaked key that expires soon cannot buy itself a lasting successor
        if (caller.keyExpiresAt() != null && !caller.platformAdmin()
                && (expiresAt == null || expiresAt.isAfter(caller.keyExpiresAt()))) {
            if (request != null && request.expiresAt() != null) {
                throw ApiException.invalid("expires_at", "a key expiring at " + caller.keyExpiresAt()
                        + " cannot make one that expires later");
            }
            expiresAt = caller.keyExpiresAt();
        }
        Timestamp expiry = expiresAt == null ? null : Timestamp.from(expiresAt);
        // the key it is made with is its maker, still active when this commits: a revocation locks the maker
        // first, so either it waits for this key and revokes it too, or this waits and finds the maker revoked.
        // So too a key platform staff make for someone else: a stolen staff key's keys go with it.
        int made = jdbc.update("""
                        INSERT INTO api_keys (id, user_id, secret_hash, display_hint, expires_at, made_by_key_id)
                        SELECT ?, ?, ?, ?, ?, maker.id FROM api_keys maker
                         WHERE maker.id = ? AND maker.revoked_at IS NULL FOR SHARE""",
                keyId, userId, ApiKeys.hash(secret), ApiKeys.hint(secret), expiry, caller.keyId());
        if (made == 0) {
            throw new ApiException(ApiErrorCode.AUTHENTICATION_ERROR, "the API key was revoked", null);
        }
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("id", keyId);
        key.put("user_id", userId);
        key.put("api_key", secret);
        key.put("expires_at", expiresAt == null ? null : expiresAt.toString());
        key.put("note", "store this key now: it is not shown again");
        ResponseSecrets.shownOnce(http, secret); // an Idempotency-Key replay answers with null in its place
        return ResponseEntity.status(HttpStatus.CREATED).body(ApiEnvelope.of(key, RequestIds.current(http)));
    }

    /** The user's keys as a list may show them: never a secret, only its start and last four characters. */
    @GetMapping("/{userId}/api-keys")
    @ApiData(value = UserAnswers.ApiKey.class, list = true)
    ApiEnvelope<List<Map<String, Object>>> keys(@PathVariable String userId, Caller caller, HttpServletRequest http) {
        access.requireSelfOrPlatformAdmin(caller, userId, "you may manage only your own API keys");
        user(userId);
        return ApiEnvelope.list(jdbc.query("""
                        SELECT id, display_hint, created_at, expires_at, revoked_at FROM api_keys
                         WHERE user_id = ? ORDER BY created_at, id""",
                (rs, n) -> {
                    Map<String, Object> key = new LinkedHashMap<>();
                    key.put("id", rs.getString(1));
                    key.put("hint", rs.getString(2));
                    key.put("created_at", instant(rs.getTimestamp(3)));
                    key.put("expires_at", instant(rs.getTimestamp(4)));
                    key.put("revoked_at", instant(rs.getTimestamp(5)));
                    return key;
                }, userId), false, null, RequestIds.current(http)); // a whole list: a user has a handful of keys
    }

    /**
     * The organisations the user has a role in, by organisation id: a dashboard's first question after
     * signing in. The user's own, or any user's for platform staff.
     */
    @GetMapping("/{userId}/memberships")
    @ApiData(value = UserAnswers.UserMembership.class, list = true)
    ApiEnvelope<List<Map<String, Object>>> memberships(@PathVariable String userId,
                                                       @RequestParam(required = false) Integer limit,
                                                       @RequestParam(required = false) String cursor,
                                                       Caller caller, HttpServletRequest http) {
        access.requireSelfOrPlatformAdmin(caller, userId, "you may list only your own memberships");
        user(userId);
        IdPages.Page page = IdPages.of(limit, cursor, "org_");
        // memberships are each organisation's rows: acting for the user opens theirs in every one (V27)
        List<Map<String, Object>> rows = lookups.actingFor(TenantContext.SET_USER, userId, () -> jdbc.query("""
                        SELECT organisation_id, role, created_at FROM memberships
                         WHERE user_id = ? AND organisation_id > ? ORDER BY organisation_id LIMIT ?""",
                IdPages.ROW, userId, page.after(), page.limit() + 1));
        return IdPages.envelope(rows, page, row -> (String) row.get("organisation_id"), RequestIds.current(http));
    }

    /** The businesses the user manages, by business id: the user's own, or any user's for platform staff. */
    @GetMapping("/{userId}/businesses")
    @ApiData(value = UserAnswers.ManagedBusiness.class, list = true)
    ApiEnvelope<List<Map<String, Object>>> businesses(@PathVariable String userId,
                                                      @RequestParam(required = false) Integer limit,
                                                      @RequestParam(required = false) String cursor,
                                                      Caller caller, HttpServletRequest http) {
        access.requireSelfOrPlatformAdmin(caller, userId, "you may list only the businesses you manage");
        user(userId);
        IdPages.Page page = IdPages.of(limit, cursor, "biz_");
        List<Map<String, Object>> rows = jdbc.query("""
                        SELECT id, name, status FROM businesses
                         WHERE manager_user_id = ? AND id > ? ORDER BY id LIMIT ?""",
                IdPages.ROW, userId, page.after(), page.limit() + 1);
        return IdPages.envelope(rows, page, row -> (String) row.get("id"), RequestIds.current(http));
    }

    private static String instant(Timestamp at) {
        return at == null ? null : at.toInstant().toString();
    }

    /** Revokes the key, and with it every key made with it, and every key made with those. */
    @DeleteMapping("/{userId}/api-keys/{keyId}")
    @ApiData(UserAnswers.ApiKeyRevoked.class)
    ApiEnvelope<Map<String, Object>> revokeKey(@PathVariable String userId, @PathVariable String keyId, Caller caller,
                                               HttpServletRequest http) {
        access.requireSelfOrPlatformAdmin(caller, userId, "you may manage only your own API keys");
        List<String> alsoRevoked = transactions.execute(status -> {
            // the lock first, so a key being made with this one is committed (and seen below) or refused
            if (jdbc.queryForList("SELECT id FROM api_keys WHERE id = ? AND user_id = ? AND revoked_at IS NULL FOR UPDATE",
                    String.class, keyId, userId).isEmpty()) {
                throw ApiException.notFound("key_id", "no active key " + keyId + " for user " + userId);
            }
            jdbc.update("UPDATE api_keys SET revoked_at = now() WHERE id = ?", keyId);
            // again until nothing is left: a key being made from a descendant this pass revokes (and so waits for)
            // commits after the pass began and is seen only by the next one; a revoked key makes no more
            List<String> revoked = new ArrayList<>();
            List<String> pass;
            do {
                pass = jdbc.queryForList("""
                        WITH RECURSIVE made (id) AS (
                            SELECT id FROM api_keys WHERE made_by_key_id = ?
                            UNION
                            SELECT k.id FROM api_keys k JOIN made ON k.made_by_key_id = made.id)
                        UPDATE api_keys SET revoked_at = now()
                         WHERE id IN (SELECT id FROM made) AND revoked_at IS NULL
                        RETURNING id""", String.class, keyId);
                revoked.addAll(pass);
            } while (!pass.isEmpty());
            return revoked;
        });
        Map<String, Object> revoked = new LinkedHashMap<>();
        revoked.put("id", keyId);
        revoked.put("revoked", true);
        revoked.put("also_revoked", alsoRevoked.stream().sorted().toList());
        return ApiEnvelope.of(revoked, RequestIds.current(http));
    }


    private Map<String, Object> user(String userId) {
        List<Map<String, Object>> users = jdbc.query("SELECT id, email, name, platform_role, created_at FROM users WHERE id = ?",
                (rs, n) -> {
                    Map<String, Object> user = new LinkedHashMap<>();
                    user.put("id", rs.getString("id"));
                    user.put("email", rs.getString("email"));
                    user.put("name", rs.getString("name"));
                    user.put("platform_role", rs.getString("platform_role"));
                    user.put("created_at", rs.getTimestamp("created_at").toInstant().toString());
                    return user;
                }, userId);
        if (users.isEmpty()) {
            throw ApiException.notFound("user_id", "no user " + userId);
        }
        return users.get(0);
    }
}
