package io.amply.command.lookup;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Reads the campaigns lookup table under the organisation's row-level-security context. */
@Component
public class CampaignLookupsReader {

    public record CampaignView(String id, String organisationId, String fundId, String name, long goalAmount,
                               String currency, String status, Instant startsAt, Instant endsAt, long raisedAmount,
                               int donorCount, Instant goalReachedAt, Instant createdAt, boolean announced) {

        /**
         * Known only to its organisation: a draft, or one cancelled before it was ever activated. An active or
         * completed one was announced whatever the column says (a node of the version before V42 sets the status only).
         */
        public boolean unannounced() {
            return !announced && !"active".equals(status) && !"completed".equals(status);
        }

        /** Whether {@code at} lies within the campaign's dates: from starts_at (inclusive) to ends_at (exclusive). */
        public boolean runsAt(Instant at) {
            return (startsAt == null || !at.isBefore(startsAt)) && (endsAt == null || at.isBefore(endsAt));
        }
    }

    private final JdbcTemplate jdbc;
    private final Lookups lookups;

    CampaignLookupsReader(JdbcTemplate jdbc, Lookups lookups) {
        this.jdbc = jdbc;
        this.lookups = lookups;
    }

    /** The campaign, if it exists and belongs to the organisation: another organisation's campaign is "unknown" here. */
    public Optional<CampaignView> campaign(String organisationId, String campaignId) {
        List<CampaignView> rows = lookups.inContext(organisationId, () -> jdbc.query("""
                        SELECT id, organisation_id, fund_id, name, goal_amount, currency, status, starts_at, ends_at,
                               raised_amount, donor_count, goal_reached_at, created_at, announced
                          FROM campaigns WHERE id = ? AND organisation_id = ?""",
                (rs, n) -> new CampaignView(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getLong(5), rs.getString(6), rs.getString(7), instant(rs, 8), instant(rs, 9), rs.getLong(10),
                        rs.getInt(11), instant(rs, 12), instant(rs, 13), rs.getBoolean(14)), campaignId, organisationId));
        return rows == null || rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
