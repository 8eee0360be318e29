package io.amply.command.security;

import io.amply.command.lookup.OrganisationContext;
import io.amply.command.lookup.OrganisationGate;
import io.amply.command.web.ApiException;
import io.amply.command.web.Ids;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;
import java.util.Set;

/**
 * Credential → user → role in that organisation. Reads memberships under the organisation's
 * row-level-security context, so the check itself cannot see another tenant's rows, and through the
 * organisation's {@link OrganisationGate}, which a membership change closes: run in a money
 * movement's own transaction, a role removed at the same moment either waits for the movement or
 * is read as removed.
 */
@Component
public class OrganisationAccess {

    private final TransactionTemplate transactions;
    private final OrganisationContext context;

    OrganisationAccess(TransactionTemplate transactions, OrganisationContext context) {
        this.transactions = transactions;
        this.context = context;
    }

    /** Platform staff only (verification, suspension, creating users). */
    public void requirePlatformAdmin(Caller caller) {
        if (!caller.platformAdmin()) {
            throw ApiException.forbidden("only Amply's platform administrators may do this");
        }
    }

    /**
     * Throws {@code authorization_error} when the caller's role is not one of {@code allowed}. The gate
     * stays passed until the transaction this runs in ends: in a transaction of its own, at once.
     */
    public void require(Caller caller, String organisationId, Set<Role> allowed) {
        // another kind of id (a fund's in an organisation's path) names no organisation, not even for
        // platform staff, whose command would otherwise be sent to that other aggregate
        if (!Ids.looksLike("org_", organisationId)) {
            throw ApiException.notFound("organisation_id", "no such organisation: " + organisationId);
        }
        if (caller.platformAdmin()) {
            return;
        }
        List<String> roles = transactions.execute(status -> context.queryAfter(organisationId, OrganisationGate.PASS,
                "SELECT role FROM memberships WHERE user_id = ? AND organisation_id = ?", (rs, n) -> rs.getString(1),
                caller.userId(), organisationId));
        if (roles == null || roles.isEmpty()) {
            throw ApiException.forbidden("you have no role in organisation " + organisationId);
        }
        if (!allowed.contains(Role.valueOf(roles.get(0)))) {
            throw ApiException.forbidden("your role (" + roles.get(0) + ") in organisation " + organisationId
                    + " does not allow this; it needs one of " + allowed);
        }
    }
}
