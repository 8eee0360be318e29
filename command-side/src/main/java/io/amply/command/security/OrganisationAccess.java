package io.amply.command.security;

import io.amply.command.lookup.OrganisationContext;
import io.amply.command.web.ApiException;
import io.amply.command.web.Ids;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;
import java.util.Set;

/**
 * Credential → user → role in that organisation. Reads memberships under the organisation's
 * row-level-security context, so the check itself cannot see another tenant's rows.
 */
@Component
public class OrganisationAccess {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final OrganisationContext context;

    OrganisationAccess(JdbcTemplate jdbc, TransactionTemplate transactions, OrganisationContext context) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.context = context;
    }

    /** Platform staff only (verification, suspension, creating users). */
    public void requirePlatformAdmin(Caller caller) {
        if (!caller.platformAdmin()) {
            throw ApiException.forbidden("only Amply's platform administrators may do this");
        }
    }

    /** Returns the caller's role, or throws {@code authorization_error} when it is not one of {@code allowed}. */
    public void require(Caller caller, String organisationId, Set<Role> allowed) {
        // another kind of id (a fund's in an organisation's path) names no organisation, not even for
        // platform staff, whose command would otherwise be sent to that other aggregate
        if (!Ids.looksLike("org_", organisationId)) {
            throw ApiException.notFound("organisation_id", "no such organisation: " + organisationId);
        }
        if (caller.platformAdmin()) {
            return;
        }
        List<String> roles = transactions.execute(status -> {
            context.enter(organisationId);
            return jdbc.queryForList("SELECT role FROM memberships WHERE user_id = ? AND organisation_id = ?",
                    String.class, caller.userId(), organisationId);
        });
        if (roles == null || roles.isEmpty()) {
            throw ApiException.forbidden("you have no role in organisation " + organisationId);
        }
        if (!allowed.contains(Role.valueOf(roles.get(0)))) {
            throw ApiException.forbidden("your role (" + roles.get(0) + ") in organisation " + organisationId
                    + " does not allow this; it needs one of " + allowed);
        }
    }
}
