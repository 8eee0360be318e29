package io.amply.query.fund;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.amply.db.TenantContext;
import io.amply.events.api.ApiData;
import io.amply.events.api.ApiEnvelope;
import io.amply.events.api.ApiErrorCode;
import io.amply.query.Replica;
import io.amply.query.readmodel.Freshness;
import io.amply.query.security.Owners;
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
    private final Owners owners;

    FundsController(Replica replica, Readers readers, Freshness freshness, ObjectMapper json, Owners owners) {
        this.owners = owners;
        this.replica = replica;
        this.readers = readers;
        this.freshness = freshness;
        this.json = json;
    }

    @GetMapping("/v1/organisations/{organisationId}/funds")
    @ApiData(value = FundAnswers.MemberFund.class, list = true)
    ApiEnvelope<List<Map<String, Object>>> funds(@PathVariable String organisationId,
                                                 @RequestParam(name = "min_position", required = false) Long minPosition,
                                                 HttpServletRequest http) {
        readers.require(http, organisationId, ROLES);
        owners.requireOrganisation(organisationId);
        Map<String, Object> fresh = freshness.require(FundBalancesProjection.GROUP, organisationId, minPosition);
        List<Map<String, Object>> funds = read(organisationId, " WHERE f.organisation_id = ?" + FundRows.ORDER, organisationId);
        return ApiEnvelope.list(funds, false, null, RequestIds.current(http))
                .withMeta("served_from", "replica")
                .withMeta("freshness", fresh);
    }

    @GetMapping("/v1/funds/{fundId}")
    @ApiData(FundAnswers.MemberFund.class)
    ApiEnvelope<Map<String, Object>> fund(@PathVariable String fundId,
                                          @RequestParam(name = "min_position", required = false) Long minPosition,
                                          HttpServletRequest http) {
        readers.authenticate(http);
        String organisationId = owners.ofFund(fundId, FundBalancesProjection.GROUP, minPosition);
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
}
