package io.amply.command.lookup;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Reads the projects lookup table under the organisation's row-level-security context. */
@Component
public class ProjectLookupsReader {

    public record ProjectView(String id, String organisationId, String fundId, String name, long budgetAmount,
                              String currency, String status, Instant createdAt) {
    }

    private final JdbcTemplate jdbc;
    private final Lookups lookups;

    ProjectLookupsReader(JdbcTemplate jdbc, Lookups lookups) {
        this.jdbc = jdbc;
        this.lookups = lookups;
    }

    /** The project, if it exists and belongs to the organisation; no lock, so it never waits for a change of it. */
    public Optional<ProjectView> project(String organisationId, String projectId) {
        return project(organisationId, projectId, "");
    }

    /**
     * The project, its row share-locked until the transaction this runs in ends: a change of its
     * status (which updates the row in the changing command's transaction) waits for it, or it for
     * that change, and then reads the status the change left.
     */
    public Optional<ProjectView> projectHeld(String organisationId, String projectId) {
        return project(organisationId, projectId, " FOR SHARE");
    }

    private Optional<ProjectView> project(String organisationId, String projectId, String lock) {
        List<ProjectView> rows = lookups.inContext(organisationId, () -> jdbc.query("""
                        SELECT id, organisation_id, fund_id, name, budget_amount, currency, status, created_at
                          FROM projects WHERE id = ? AND organisation_id = ?""" + lock,
                (rs, n) -> new ProjectView(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getLong(5), rs.getString(6), rs.getString(7), CampaignLookupsReader.instant(rs, 8)),
                projectId, organisationId));
        return rows == null || rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }
}
