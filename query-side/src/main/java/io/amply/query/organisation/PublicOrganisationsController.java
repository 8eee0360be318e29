package io.amply.query.organisation;

import io.amply.db.TenantContext;
import io.amply.events.api.ApiData;
import io.amply.events.api.ApiEnvelope;
import io.amply.events.api.ApiErrorCode;
import io.amply.query.Replica;
import io.amply.query.campaign.CampaignProgressProjection;
import io.amply.query.project.ProjectBudgetsProjection;
import io.amply.query.readmodel.ExactSums;
import io.amply.query.readmodel.Freshness;
import io.amply.query.web.ApiException;
import io.amply.query.web.Cursors;
import io.amply.query.web.RequestIds;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The public directory: organisations, one organisation's profile and figures, and the platform's figures. */
@RestController
class PublicOrganisationsController {

    private static final int MAX_LIMIT = 100;
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
    private static final String TOTALS = """
            SELECT currency, received_amount, donation_count, refunded_amount, fees_amount, spent_public_full,
                   spent_public_aggregated, spent_delayed_public, spent_internal_only
              FROM organisation_totals""";

    private final Replica replica;
    private final Freshness freshness;

    PublicOrganisationsController(Replica replica, Freshness freshness) {
        this.replica = replica;
        this.freshness = freshness;
    }

    @GetMapping("/v1/public/organisations")
    @ApiData(value = OrganisationAnswers.OrganisationSummary.class, list = true)
    ApiEnvelope<List<Map<String, Object>>> list(@RequestParam(required = false) String search,
                                                @RequestParam(required = false) String country,
                                                @RequestParam(defaultValue = "50") int limit,
                                                @RequestParam(required = false) String cursor,
                                                @RequestParam(name = "min_position", required = false) Long minPosition,
                                                HttpServletRequest http) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.invalid("limit", "limit must be between 1 and " + MAX_LIMIT);
        }
        if (country != null && !COUNTRY.matcher(country).matches()) {
            throw ApiException.invalid("country", "country must be an ISO 3166-1 alpha-2 code in capitals, e.g. DE");
        }
        if (search != null && (search.isBlank() || search.length() > 100)) {
            throw ApiException.invalid("search", "search must be 1 to 100 characters");
        }
        Map<String, Object> fresh = freshness.require(OrganisationDirectoryProjection.GROUP, minPosition);
        StringBuilder sql = new StringBuilder("SELECT * FROM organisation_profiles WHERE status <> 'suspended'");
        List<Object> args = new ArrayList<>();
        if (country != null) {
            sql.append(" AND country = ?");
            args.add(country);
        }
        if (search != null) {
            sql.append(" AND name ILIKE ? ESCAPE '\\'");
            args.add("%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        }
        if (cursor != null) {
            Cursors.Key key = Cursors.decodeKey(cursor);
            sql.append(" AND (created_at, organisation_id) > (?, ?)");
            args.add(Timestamp.from(key.at()));
            args.add(key.id());
        }
        sql.append(" ORDER BY created_at, organisation_id LIMIT ?");
        args.add(limit + 1);
        List<Map<String, Object>> rows = replica.jdbc().query(sql.toString(), (rs, n) -> profile(rs), args.toArray());
        boolean hasMore = rows.size() > limit;
        List<Map<String, Object>> page = hasMore ? rows.subList(0, limit) : rows;
        String next = null;
        if (hasMore) {
            Map<String, Object> last = page.get(page.size() - 1);
            next = Cursors.encodeKey((java.time.Instant) last.remove("_created"), (String) last.get("id"));
        }
        page.forEach(p -> p.remove("_created"));
        return ApiEnvelope.list(page, hasMore, next, RequestIds.current(http))
                .withMeta("served_from", "replica").withMeta("freshness", fresh);
    }

    @GetMapping("/v1/public/organisations/{organisationId}")
    @ApiData(OrganisationAnswers.OrganisationProfile.class)
    ApiEnvelope<Map<String, Object>> organisation(@PathVariable String organisationId,
                                                  @RequestParam(name = "min_position", required = false) Long minPosition,
                                                  HttpServletRequest http) {
        // the counts come from the campaign and project read models: each must have the position too (until
        // 2026-11-27 only the directory's was asked, and a campaign just activated could be missing from the count)
        Map<String, Object> fresh = freshness.requireAll(organisationId, minPosition, OrganisationDirectoryProjection.GROUP,
                CampaignProgressProjection.GROUP, ProjectBudgetsProjection.GROUP);
        Map<String, Object> organisation = replica.transactions().execute(status -> {
            List<Map<String, Object>> found = replica.jdbc().query("SELECT * FROM organisation_profiles WHERE organisation_id = ?",
                    (rs, n) -> profile(rs), organisationId);
            if (found.isEmpty()) {
                return null;
            }
            Map<String, Object> profile = found.get(0);
            profile.remove("_created");
            replica.jdbc().query(TenantContext.SET_ORGANISATION, rs -> null, organisationId);
            Map<String, Object> stats = new LinkedHashMap<>();
            stats.put("totals", replica.jdbc().query(TOTALS + " WHERE organisation_id = ? ORDER BY currency",
                    (rs, n) -> totals(rs), organisationId));
            stats.put("fund_count", count("SELECT count(*) FROM funds WHERE organisation_id = ?", organisationId));
            stats.put("campaign_count", count("SELECT count(*) FROM campaign_summaries WHERE organisation_id = ? AND "
                    + CampaignProgressProjection.ANNOUNCED,
                    organisationId));
            stats.put("project_count", count("SELECT count(*) FROM project_summaries WHERE organisation_id = ?", organisationId));
            profile.put("stats", stats);
            return profile;
        });
        if (organisation == null) {
            throw new ApiException(ApiErrorCode.NOT_FOUND, "no organisation " + organisationId, null);
        }
        return ApiEnvelope.of(organisation, RequestIds.current(http))
                .withMeta("served_from", "replica").withMeta("freshness", fresh);
    }

    @GetMapping("/v1/public/stats")
    @ApiData(OrganisationAnswers.PlatformStats.class)
    ApiEnvelope<Map<String, Object>> platform(@RequestParam(name = "min_position", required = false) Long minPosition,
                                              HttpServletRequest http) {
        Map<String, Object> fresh = freshness.require(OrganisationDirectoryProjection.GROUP, minPosition);
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("organisations", replica.jdbc().queryForMap("""
                SELECT count(*) AS total, count(*) FILTER (WHERE status = 'verified') AS verified,
                       count(DISTINCT country) AS countries
                  FROM organisation_profiles WHERE status <> 'suspended'"""));
        stats.put("totals", replica.jdbc().query("""
                SELECT currency, sum(received_amount) AS received_amount, sum(donation_count) AS donation_count,
                       sum(refunded_amount) AS refunded_amount, sum(fees_amount) AS fees_amount,
                       sum(spent_public_full) AS spent_public_full, sum(spent_public_aggregated) AS spent_public_aggregated,
                       sum(spent_delayed_public) AS spent_delayed_public, sum(spent_internal_only) AS spent_internal_only
                  FROM organisation_totals GROUP BY currency ORDER BY currency""", (rs, n) -> totals(rs)));
        return ApiEnvelope.of(stats, RequestIds.current(http)).withMeta("served_from", "replica").withMeta("freshness", fresh);
    }

    private long count(String sql, String organisationId) {
        Long count = replica.jdbc().queryForObject(sql, Long.class, organisationId);
        return count == null ? 0 : count;
    }

    private static Map<String, Object> profile(ResultSet rs) throws SQLException {
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("id", rs.getString("organisation_id"));
        profile.put("name", rs.getString("name"));
        profile.put("country", rs.getString("country"));
        profile.put("status", rs.getString("status"));
        profile.put("verification_level", rs.getString("verification_level"));
        profile.put("accepts_fundraisers", rs.getBoolean("accepts_fundraisers"));
        profile.put("created_at", rs.getTimestamp("created_at").toInstant().toString());
        profile.put("_created", rs.getTimestamp("created_at").toInstant());
        return profile;
    }

    /**
     * One currency's figures, with spending split by the visibility of its entries, in per cent. The
     * amounts are sums without bound (V37): exact integers, however large.
     */
    static Map<String, Object> totals(ResultSet rs) throws SQLException {
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("currency", rs.getString("currency"));
        totals.put("received_amount", ExactSums.of(rs, "received_amount"));
        totals.put("donation_count", rs.getLong("donation_count"));
        totals.put("refunded_amount", ExactSums.of(rs, "refunded_amount"));
        totals.put("fees_amount", ExactSums.of(rs, "fees_amount"));
        BigInteger full = ExactSums.of(rs, "spent_public_full");
        BigInteger aggregated = ExactSums.of(rs, "spent_public_aggregated");
        BigInteger delayed = ExactSums.of(rs, "spent_delayed_public");
        BigInteger internal = ExactSums.of(rs, "spent_internal_only");
        BigInteger spent = full.add(aggregated).add(delayed).add(internal);
        totals.put("spent_amount", spent);
        Map<String, Object> shares = new LinkedHashMap<>();
        shares.put("public_full", percent(full, spent));
        shares.put("public_aggregated", percent(aggregated, spent));
        shares.put("delayed_public", percent(delayed, spent));
        shares.put("internal_only", percent(internal, spent));
        totals.put("spending_by_visibility", shares);
        totals.put("spending_summary", spent.signum() == 0 ? null : "%s %% fully detailed · %s %% aggregated · %s %% delayed · %s %% internal-only"
                .formatted(shares.get("public_full"), shares.get("public_aggregated"), shares.get("delayed_public"),
                        shares.get("internal_only")));
        return totals;
    }


    /** To one decimal, half up, as Math.round did on doubles; exact for sums beyond a double's precision. */
    private static double percent(BigInteger part, BigInteger whole) {
        return whole.signum() == 0 ? 0.0 : new BigDecimal(part).multiply(BigDecimal.valueOf(100))
                .divide(new BigDecimal(whole), 1, RoundingMode.HALF_UP).doubleValue();
    }
}
