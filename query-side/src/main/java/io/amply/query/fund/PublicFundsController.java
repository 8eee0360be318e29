package io.amply.query.fund;

import io.amply.db.TenantContext;
import io.amply.events.api.ApiData;
import io.amply.events.api.ApiEnvelope;
import io.amply.query.Replica;
import io.amply.query.readmodel.Freshness;
import io.amply.query.security.Owners;
import io.amply.query.web.RequestIds;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;

/** An organisation's funds with balance, money in and money out, from the replica. */
@RestController
class PublicFundsController {

    private final Replica replica;
    private final Freshness freshness;
    private final Owners owners;

    PublicFundsController(Replica replica, Freshness freshness, Owners owners) {
        this.replica = replica;
        this.freshness = freshness;
        this.owners = owners;
    }

    @GetMapping("/v1/public/organisations/{organisationId}/funds")
    @ApiData(value = FundAnswers.PublicFund.class, list = true)
    ApiEnvelope<List<Map<String, Object>>> funds(@PathVariable String organisationId,
                                                 @RequestParam(name = "min_position", required = false) Long minPosition,
                                                 HttpServletRequest http) {
        owners.requireOrganisation(organisationId);
        Map<String, Object> fresh = freshness.require(FundBalancesProjection.GROUP, organisationId, minPosition);
        List<Map<String, Object>> funds = replica.transactions().execute(status -> {
            replica.jdbc().query(TenantContext.SET_ORGANISATION, rs -> null, organisationId);
            return replica.jdbc().query(FundRows.SELECT + " WHERE f.organisation_id = ?" + FundRows.ORDER,
                    (rs, n) -> FundRows.publicView(rs), organisationId);
        });
        return ApiEnvelope.list(funds, false, null, RequestIds.current(http)).withMeta("served_from", "replica")
                .withMeta("freshness", fresh);
    }
}
