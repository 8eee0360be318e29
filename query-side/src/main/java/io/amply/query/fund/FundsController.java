package io.amply.query.fund;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.amply.db.TenantContext;
import io.amply.events.api.ApiEnvelope;
import io.amply.events.api.ApiErrorCode;
import io.amply.query.Replica;
import io.amply.query.readmodel.Freshness;
import io.amply.query.security.Readers;
import io.amply.query.web.ApiException;
import io.amply.query.web.RequestIds;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** An organisation's funds for its members: balances as publicly shown, plus each fund's restrictions. From the replica. */
@RestController
class FundsController {

    /** Any role in the organisation, as for the command side's {@code GET /v1/funds/{id}}. */
    static final Set<String> ROLES = Set.of("owner", "admin", "finance", "content", "viewer", "auditor");

    private final Replica replica;
    private final Readers readers;
    private final Freshness freshness;
    private final ObjectMapper json;

    FundsController(Replica replica, Readers readers, Freshness freshness, ObjectMapper json) {
        this.replica = replica;
        this.readers = readers;
        this.freshness = freshness;
        this.json = json;
    }

    @GetMapping("/v1/organisations/{organisationId}/funds")
    ApiEnvelope<List<Map<String, Object>>> funds(@PathVariable String organisationId,
                                                 @RequestParam(name = "min_position", required = false) Long minPosition,
                                                 HttpServletRequest http) {
        readers.require(http, organisationId, ROLES);
        Map<String, Object> fresh = freshness.require(FundBalancesProjection.GROUP, organisationId, minPosition);
        List<Map<String, Object>> funds = read(organisationId, " WHERE f.organisation_id = ?" + FundRows.ORDER, organisationId);
        return ApiEnvelope.list(funds, false, null, RequestIds.current(http))
                .withMeta("served_from", "replica")
                .withMeta("freshness", fresh);
    }

    @GetMapping("/v1/funds/{fundId}")
    ApiEnvelope<Map<String, Object>> fund(@PathVariable String fundId,
                                          @RequestParam(name = "min_position", required = false) Long minPosition,
                                          HttpServletRequest http) {
        String organisationId = ownerOfFund(fundId, minPosition);
        readers.require(http, organisationId, ROLES);
        Map<String, Object> fresh = freshness.require(FundBalancesProjection.GROUP, organisationId, minPosition);
        List<Map<String, Object>> found = read(organisationId, " WHERE f.organisation_id = ? AND f.id = ?", organisationId, fundId);
        if (found.isEmpty()) {
            throw new ApiException(ApiErrorCode.NOT_FOUND, "no fund " + fundId, null);
        }
        return ApiEnvelope.of(found.get(0), RequestIds.current(http))
                .withMeta("served_from", "replica")
                .withMeta("freshness", fresh);
    }

    private List<Map<String, Object>> read(String organisationId, String where, Object... args) {
        return replica.transactions().execute(status -> {
            replica.jdbc().query(TenantContext.SET_ORGANISATION, rs -> null, organisationId);
            return replica.jdbc().query(FundRows.SELECT + where, (rs, n) -> FundRows.memberView(rs, json), args);
        });
    }

    /**
     * The fund's organisation (resource_owners has no row-level security); unknown (after
     * {@code min_position}, if given) is {@code not_found}.
     */
    private String ownerOfFund(String fundId, Long minPosition) {
        List<String> owners = fundId.startsWith("fund_")
                ? replica.jdbc().queryForList("SELECT organisation_id FROM resource_owners WHERE id = ?", String.class, fundId)
                : List.of();
        if (owners.isEmpty() && minPosition != null && fundId.startsWith("fund_")) {
            // a fund created by the write the client waits for may not have reached the replica yet: once the
            // read model has passed that write, the replica has the fund's owner row too (committed before it)
            freshness.require(FundBalancesProjection.GROUP, minPosition);
            owners = replica.jdbc().queryForList("SELECT organisation_id FROM resource_owners WHERE id = ?", String.class, fundId);
        }
        if (owners.isEmpty()) {
            throw new ApiException(ApiErrorCode.NOT_FOUND, "no fund " + fundId, null);
        }
        return owners.get(0);
    }
}
