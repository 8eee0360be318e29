package io.amply.command.lookup;

import io.amply.db.TenantContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Reads businesses (global, no tenant context) and matching programmes (tenant data of the
 * organisation whose donations they match, read under its row-level-security context).
 */
@Component
public class BusinessLookupsReader {

    public record BusinessView(String id, String name, String country, String status, String managerUserId,
                               Instant createdAt, Instant verifiedAt) {
    }

    public record ProgrammeView(String id, String businessId, String organisationId, String campaignId, int ratioPercent,
                                long capAmount, long usedAmount, String currency, Instant startsAt, Instant endsAt,
                                Instant createdAt, String status, Instant decidedAt, String decidedBy) {
    }

    private static final String PROGRAMME_COLUMNS = """
            SELECT id, business_id, organisation_id, campaign_id, ratio_percent, cap_amount, used_amount, currency,
                   starts_at, ends_at, created_at, status, decided_at, decided_by FROM matching_programmes
            """;

    private static final RowMapper<ProgrammeView> PROGRAMME = (rs, n) -> new ProgrammeView(rs.getString(1),
            rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5), rs.getLong(6), rs.getLong(7),
            rs.getString(8), CampaignLookupsReader.instant(rs, 9), CampaignLookupsReader.instant(rs, 10),
            CampaignLookupsReader.instant(rs, 11), rs.getString(12), CampaignLookupsReader.instant(rs, 13),
            rs.getString(14));

    private final JdbcTemplate jdbc;
    private final Lookups lookups;
    BusinessLookupsReader(JdbcTemplate jdbc, Lookups lookups) {
        this.jdbc = jdbc;
        this.lookups = lookups;
    }

    public Optional<BusinessView> business(String businessId) {
        List<BusinessView> rows = jdbc.query("""
                        SELECT id, name, country, status, manager_user_id, created_at, verified_at
                          FROM businesses WHERE id = ?""",
                (rs, n) -> new BusinessView(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), CampaignLookupsReader.instant(rs, 6), CampaignLookupsReader.instant(rs, 7)),
                businessId);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    /**
     * The business's programmes with ids after {@code after}, in every organisation, by id: programmes
     * are their organisations' rows, and acting for the business opens its own to this read (V28).
     */
    public List<ProgrammeView> programmesOf(String businessId, String after, int limit) {
        return lookups.actingFor(TenantContext.SET_BUSINESS, businessId, () -> jdbc.query(
                PROGRAMME_COLUMNS + "WHERE business_id = ? AND id > ? ORDER BY id LIMIT ?", PROGRAMME, businessId, after, limit));
    }

    /** The programmes proposed to the organisation with ids after {@code after}, whatever their status, by id. */
    public List<ProgrammeView> programmesFor(String organisationId, String after, int limit) {
        return lookups.inContext(organisationId, () -> jdbc.query(
                PROGRAMME_COLUMNS + "WHERE organisation_id = ? AND id > ? ORDER BY id LIMIT ?", PROGRAMME, organisationId,
                after, limit));
    }

    /** The programme, if it exists and matches donations to the organisation. */
    public Optional<ProgrammeView> programme(String organisationId, String programmeId) {
        List<ProgrammeView> rows = lookups.inContext(organisationId, () -> jdbc.query(
                PROGRAMME_COLUMNS + "WHERE id = ? AND organisation_id = ?", PROGRAMME, programmeId, organisationId));
        return rows == null || rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    /**
     * The programmes that may match a donation to {@code organisationId} in {@code currency}
     * received at {@code at}: accepted by the organisation; scoped to it, or to the donation's campaign; running
     * at that moment; with cap left; not run by {@code givingBusinessId} (a business does not
     * match its own gift); none while the organisation is suspended (a donation paid after the
     * suspension is still booked, the money having moved, but no business money follows it), nor into
     * {@code fundId} once it is closed (likewise). In the businesses' order, then oldest first: the
     * matches take the businesses' aggregate locks in this order and hold them to the batch's commit, so
     * every batch takes them in one order (by age, two organisations' batches could each hold one business
     * and wait for the other). The Business aggregate checks all of it again, but for the suspension and
     * the fund.
     */
    public List<ProgrammeView> programmesInScope(String organisationId, String fundId, String campaignId, String currency,
                                                 Instant at, String givingBusinessId) {
        Timestamp moment = Timestamp.from(at);
        // a pledge paid after its fund closed is booked there (the money has moved), but a business's
        // money is not put into a fund that takes no new donations
        return lookups.inContext(organisationId, () -> jdbc.query(PROGRAMME_COLUMNS + """
                        WHERE organisation_id = ? AND currency = ? AND status = 'active'
                          AND (campaign_id IS NULL OR campaign_id = ?)
                          AND (starts_at IS NULL OR starts_at <= ?) AND (ends_at IS NULL OR ends_at > ?)
                          AND used_amount < cap_amount
                          AND business_id IS DISTINCT FROM ?
                          AND NOT EXISTS (SELECT FROM organisations o WHERE o.id = matching_programmes.organisation_id AND o.status = 'suspended')
                          AND EXISTS (SELECT FROM funds f WHERE f.id = ? AND f.status = 'open')
                        ORDER BY business_id COLLATE "C", created_at, id""",
                PROGRAMME, organisationId, currency, campaignId, moment, moment, givingBusinessId, fundId));
    }
}
