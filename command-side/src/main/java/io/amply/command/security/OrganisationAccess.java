package io.amply.command.security;

import io.amply.command.lookup.Lookups;
import io.amply.command.lookup.OrganisationContext;
import io.amply.command.lookup.OrganisationGate;
import io.amply.command.web.ApiException;
import io.amply.command.web.Ids;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Credential → user → role in that organisation. Reads memberships under the organisation's
 * row-level-security context, so the check itself cannot see another tenant's rows. A money
 * movement reads the role again in its own transaction through the organisation's
 * {@link OrganisationGate} ({@link #requireHeld}), which a membership change closes: a role removed at
 * the same moment either waits for the movement or is read as removed. Every other check reads the
 * role without the gate, so a membership change waiting for a movement holds up nothing else.
 */
@Component
public class OrganisationAccess {

    private static final String ROLE = "SELECT role FROM memberships WHERE user_id = ? AND organisation_id = ?";

    private final TransactionTemplate transactions;
    private final OrganisationContext context;
    private final Lookups lookups;

    OrganisationAccess(TransactionTemplate transactions, OrganisationContext context, Lookups lookups) {
        this.transactions = transactions;
        this.context = context;
        this.lookups = lookups;
    }

    /** Platform staff only (verification, suspension, creating users). */
    public void requirePlatformAdmin(Caller caller) {
        if (!caller.platformAdmin()) {
            throw ApiException.forbidden("only Amply's platform administrators may do this");
        }
    }

    /**
     * Throws {@code authorization_error} when the caller's role is not one of {@code allowed}; returns the
     * role it found (empty for platform staff, who hold none).
     */
    public Optional<Role> require(Caller caller, String organisationId, Set<Role> allowed) {
        return require(caller, organisationId, allowed, null);
    }

    /** A user's own things (keys, memberships, invitations): the user, or platform staff. */
    public void requireSelfOrPlatformAdmin(Caller caller, String userId, String refusal) {
        if (!caller.platformAdmin() && !caller.userId().equals(userId)) {
            throw ApiException.forbidden(refusal);
        }
    }

    /** Whether the caller sees what only the organisation's people see (its draft campaigns): staff or any role. */
    public boolean isInside(Caller caller, String organisationId) {
        return caller.platformAdmin() || !roles(caller, organisationId, null).isEmpty();
    }

    /**
     * {@link #require}, read through the organisation's gate, which stays passed until the transaction
     * this runs in ends: run it in a money movement's own transaction, after the gates it passes in order.
     */
    public void requireHeld(Caller caller, String organisationId, Set<Role> allowed) {
        require(caller, organisationId, allowed, OrganisationGate.PASS);
    }

    /**
     * In a money movement's own transaction, through the organisation's gate, which stays passed until
     * it commits: the organisation not suspended ({@code conflict}, saying what it {@code cannot} do) and
     * the caller's money role. Checked before the transaction too, for an early answer; a suspension or a
     * role removed since is caught here, and one that comes later waits for the movement.
     */
    public void requireHeldForMoney(Caller caller, String organisationId, String cannot) {
        lookups.notSuspendedHeld(organisationId, cannot);
        requireHeld(caller, organisationId, Role.MONEY);
    }

    private Optional<Role> require(Caller caller, String organisationId, Set<Role> allowed, String first) {
        // another kind of id (a fund's in an organisation's path) names no organisation, not even for
        // platform staff, whose command would otherwise be sent to that other aggregate
        if (!Ids.looksLike("org_", organisationId)) {
            throw ApiException.notFound("organisation_id", "no such organisation: " + organisationId);
        }
        if (caller.platformAdmin()) {
            return Optional.empty();
        }
        List<String> roles = roles(caller, organisationId, first);
        if (roles.isEmpty()) {
            // not named: an id the caller holds must not tell whose it is (the organisation's own paths name it anyway)
            throw ApiException.forbidden("you have no role in the organisation this belongs to");
        }
        Role role = Role.valueOf(roles.get(0));
        if (!allowed.contains(role)) {
            throw ApiException.forbidden("your role (" + role + ") in organisation " + organisationId
                    + " does not allow this; it needs one of " + allowed);
        }
        return Optional.of(role);
    }

    /** The caller's role in the organisation (none or one), read after passing {@code first} if given. */
    private List<String> roles(Caller caller, String organisationId, String first) {
        List<String> roles = transactions.execute(status -> first == null
                ? context.query(organisationId, ROLE, (rs, n) -> rs.getString(1), caller.userId(), organisationId)
                : context.queryAfter(organisationId, first, ROLE, (rs, n) -> rs.getString(1), caller.userId(), organisationId));
        return roles == null ? List.of() : roles;
    }
}
