package io.amply.query.security;

import io.amply.db.TenantContext;
import io.amply.events.api.ApiErrorCode;
import io.amply.query.Replica;
import io.amply.query.readmodel.Freshness;
import io.amply.query.web.ApiException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a path's id names: whether an organisation exists, and which organisation a fund belongs to.
 * Without the first check a mistyped organisation's public pages answered an empty list, and its
 * verification "valid", as if it existed. An organisation is looked up on the primary, so one created a
 * moment ago is found before the replica has it (its pages then say how fresh they are, as for any
 * read); organisations are never deleted, so one found is remembered. A fund's owner is read on the
 * replica, after {@code min_position} if one is given (the write that created it may not have reached
 * the replica yet: once the read model has passed that write, the replica has the rows committed with it).
 */
@Component
public class Owners {

    /** How many organisations found are remembered; the set is emptied when this full. */
    private static final int REMEMBERED = 100_000;

    private final Replica replica;
    private final Freshness freshness;
    private final JdbcTemplate primary;
    private final TransactionTemplate primaryTransactions;
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    Owners(Replica replica, Freshness freshness, JdbcTemplate primary, TransactionTemplate primaryTransactions) {
        this.replica = replica;
        this.freshness = freshness;
        this.primary = primary;
        this.primaryTransactions = new TransactionTemplate(primaryTransactions.getTransactionManager());
        this.primaryTransactions.setReadOnly(true); // a look-up: never a write, whatever a later change adds
    }

    /** Throws {@code not_found} unless the organisation exists. */
    public void requireOrganisation(String organisationId) {
        if (known.contains(organisationId)) {
            return;
        }
        if (!organisationId.startsWith("org_") || !exists(organisationId)) {
            throw new ApiException(ApiErrorCode.NOT_FOUND, "no organisation " + organisationId, null);
        }
        if (known.size() >= REMEMBERED) {
            known.clear();
        }
        known.add(organisationId);
    }

    /** The fund's organisation, or {@code not_found}. */
    public String ofFund(String fundId, String processingGroup, Long minPosition) {
        return (fundId.startsWith("fund_") ? of(fundId, processingGroup, minPosition) : Optional.<String>empty())
                .orElseThrow(() -> new ApiException(ApiErrorCode.NOT_FOUND, "no fund " + fundId, null));
    }

    /**
     * The organisation a fund, campaign or donation belongs to ({@code resource_owners} has no row-level
     * security), read on the replica; looked for again once the group has reached {@code minPosition}.
     */
    public Optional<String> of(String resourceId, String processingGroup, Long minPosition) {
        List<String> owners = replica.jdbc().queryForList("SELECT organisation_id FROM resource_owners WHERE id = ?",
                String.class, resourceId);
        if (owners.isEmpty() && minPosition != null) {
            // any segment may hold the write the client waits for
            freshness.require(processingGroup, minPosition);
            owners = replica.jdbc().queryForList("SELECT organisation_id FROM resource_owners WHERE id = ?", String.class, resourceId);
        }
        return owners.stream().findFirst();
    }

    private boolean exists(String organisationId) {
        // organisations are isolated by row-level security: visible in their own context only
        return Boolean.TRUE.equals(primaryTransactions.execute(status -> {
            primary.query(TenantContext.SET_ORGANISATION, rs -> null, organisationId);
            return !primary.queryForList("SELECT id FROM organisations WHERE id = ?", String.class, organisationId).isEmpty();
        }));
    }
}
