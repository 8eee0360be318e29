package io.amply.query.campaign;

import io.amply.db.TenantContext;
import io.amply.events.api.ApiData;
import io.amply.events.api.ApiEnvelope;
import io.amply.events.api.ApiErrorCode;
import io.amply.query.Replica;
import io.amply.query.readmodel.Freshness;
import io.amply.query.security.Owners;
import io.amply.query.security.Readers;
import io.amply.query.web.ApiException;
import io.amply.query.web.Cursors;
import io.amply.query.web.KeysetPage;
import io.amply.query.web.RequestIds;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Campaigns with their progress (view campaign_progress), from the replica: publicly every
 * campaign that was ever activated (not a draft, nor a draft cancelled before it was announced), to any
 * member of the organisation all of them. Lists page by keyset
 * on (created_at, id); every read reports its freshness and honours {@code min_position}.
 */
@RestController
class CampaignsController {

    /** Every role of an organisation: any member may see its draft campaigns. */
    static final Set<String> ANY_ROLE = Set.of("owner", "admin", "finance", "content", "viewer", "auditor");
    private static final String SELECT = """
            SELECT campaign_id, organisation_id, fund_id, name, status, currency, goal_amount, raised_amount, matched_amount,
                   donor_count, percent_of_goal, starts_at, ends_at, goal_reached_at, created_at
              FROM campaign_progress""";

    private final Replica replica;
    private final Freshness freshness;
    private final Readers readers;
    private final Owners owners;
    private final Clock clock;

    CampaignsController(Replica replica, Freshness freshness, Readers readers, Clock clock, Owners owners) {
        this.owners = owners;
        this.replica = replica;
        this.freshness = freshness;
        this.readers = readers;
        this.clock = clock;
    }

    @GetMapping("/v1/public/organisations/{organisationId}/campaigns")
    @ApiData(value = CampaignAnswers.CampaignProgress.class, list = true)
    ApiEnvelope<List<Map<String, Object>>> publicList(@PathVariable String organisationId,
                                                      @RequestParam(defaultValue = "50") int limit,
                                                      @RequestParam(required = false) String cursor,
                                                      @RequestParam(name = "min_position", required = false) Long minPosition,
                                                      HttpServletRequest http) {
        return page(organisationId, false, limit, cursor, minPosition, http);
    }

    @GetMapping("/v1/organisations/{organisationId}/campaigns")
    @ApiData(value = CampaignAnswers.CampaignProgress.class, list = true)
    ApiEnvelope<List<Map<String, Object>>> memberList(@PathVariable String organisationId,
                                                      @RequestParam(defaultValue = "50") int limit,
                                                      @RequestParam(required = false) String cursor,
                                                      @RequestParam(name = "min_position", required = false) Long minPosition,
                                                      HttpServletRequest http) {
        readers.require(http, organisationId, ANY_ROLE);
        return page(organisationId, true, limit, cursor, minPosition, http);
    }

    @GetMapping("/v1/public/campaigns/{campaignId}")
    @ApiData(CampaignAnswers.CampaignProgress.class)
    ApiEnvelope<Map<String, Object>> publicCampaign(@PathVariable String campaignId,
                                                    @RequestParam(name = "min_position", required = false) Long minPosition,
                                                    HttpServletRequest http) {
        String organisationId = owners.of(campaignId, CampaignProgressProjection.GROUP, minPosition)
                .orElseThrow(() -> notFound(campaignId));
        // freshness first: the rows read after it include at least the position it reports
        Map<String, Object> fresh = freshness.require(CampaignProgressProjection.GROUP, organisationId, minPosition);
        Instant now = clock.instant();
        List<Row> found = replica.transactions().execute(status -> {
            replica.jdbc().query(TenantContext.SET_ORGANISATION, rs -> null, organisationId);
            return replica.jdbc().query(SELECT + " WHERE organisation_id = ? AND campaign_id = ? AND " + CampaignProgressProjection.ANNOUNCED,
                    (rs, n) -> row(rs, now), organisationId, campaignId);
        });
        if (found == null || found.isEmpty()) {
            throw notFound(campaignId);
        }
        return ApiEnvelope.of(found.get(0).json(), RequestIds.current(http))
                .withMeta("served_from", "replica")
                .withMeta("freshness", fresh);
    }

    private ApiEnvelope<List<Map<String, Object>>> page(String organisationId, boolean withDrafts, int limit, String cursor,
                                                       Long minPosition, HttpServletRequest http) {
        KeysetPage.checkedLimit(limit);
        Cursors.Key after = Cursors.decodeKey(cursor);
        owners.requireOrganisation(organisationId);
        Map<String, Object> fresh = freshness.require(CampaignProgressProjection.GROUP, organisationId, minPosition);
        Instant now = clock.instant();
        StringBuilder sql = new StringBuilder(SELECT).append(" WHERE organisation_id = ?");
        List<Object> parameters = new ArrayList<>(List.of(organisationId));
        if (!withDrafts) {
            sql.append(" AND ").append(CampaignProgressProjection.ANNOUNCED);
        }
        KeysetPage.appendTo(sql, parameters, after, "campaign_id", limit);
        List<Row> rows = replica.transactions().execute(status -> {
            replica.jdbc().query(TenantContext.SET_ORGANISATION, rs -> null, organisationId);
            return replica.jdbc().query(sql.toString(), (rs, n) -> row(rs, now), parameters.toArray());
        });
        KeysetPage<Row> page = KeysetPage.of(rows, limit, Row::key);
        List<Map<String, Object>> data = page.rows().stream().map(Row::json).toList();
        return ApiEnvelope.list(data, page.hasMore(), page.nextCursor(), RequestIds.current(http))
                .withMeta("served_from", "replica")
                .withMeta("freshness", fresh);
    }

    private static ApiException notFound(String campaignId) {
        return new ApiException(ApiErrorCode.NOT_FOUND, "no public campaign " + campaignId, null);
    }

    /** A campaign as the API shows it, and the key the next page starts after. */
    private record Row(Map<String, Object> json, Cursors.Key key) {
    }

    private static Row row(ResultSet rs, Instant now) throws SQLException {
        Instant endsAt = instant(rs, "ends_at");
        Map<String, Object> campaign = new LinkedHashMap<>();
        campaign.put("id", rs.getString("campaign_id"));
        campaign.put("organisation_id", rs.getString("organisation_id"));
        campaign.put("fund_id", rs.getString("fund_id"));
        campaign.put("name", rs.getString("name"));
        campaign.put("status", rs.getString("status"));
        campaign.put("currency", rs.getString("currency"));
        campaign.put("goal_amount", rs.getLong("goal_amount"));
        campaign.put("raised_amount", rs.getLong("raised_amount"));
        campaign.put("matched_amount", rs.getLong("matched_amount"));
        campaign.put("donor_count", rs.getLong("donor_count"));
        campaign.put("percent_of_goal", rs.getBigDecimal("percent_of_goal"));
        campaign.put("starts_at", text(instant(rs, "starts_at")));
        campaign.put("ends_at", text(endsAt));
        campaign.put("days_left", daysLeft(endsAt, now));
        campaign.put("goal_reached", rs.getObject("goal_reached_at") != null);
        return new Row(campaign, new Cursors.Key(instant(rs, "created_at"), rs.getString("campaign_id")));
    }

    /** Whole days until the campaign ends (rounded down), 0 once it has ended, null if it has no end. */
    static Long daysLeft(Instant endsAt, Instant now) {
        if (endsAt == null) {
            return null;
        }
        return now.isBefore(endsAt) ? Duration.between(now, endsAt).toDays() : 0L;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime at = rs.getObject(column, OffsetDateTime.class);
        return at == null ? null : at.toInstant();
    }

    private static String text(Instant at) {
        return at == null ? null : at.toString();
    }
}
