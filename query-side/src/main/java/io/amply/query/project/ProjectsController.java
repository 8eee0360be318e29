package io.amply.query.project;

import io.amply.db.TenantContext;
import io.amply.events.api.ApiData;
import io.amply.events.api.ApiEnvelope;
import io.amply.query.Replica;

import io.amply.query.readmodel.ExactSums;
import io.amply.query.readmodel.Freshness;
import io.amply.query.security.Owners;
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
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An organisation's projects with budget, what expenses spent and what remains (view
 * project_budgets), from the replica; keyset pages on (created_at, id), with freshness and
 * {@code min_position} like every read.
 */
@RestController
class ProjectsController {

    private final Replica replica;
    private final Freshness freshness;
    private final Owners owners;

    ProjectsController(Replica replica, Freshness freshness, Owners owners) {
        this.replica = replica;
        this.freshness = freshness;
        this.owners = owners;
    }

    @GetMapping("/v1/public/organisations/{organisationId}/projects")
    @ApiData(value = ProjectAnswers.ProjectBudget.class, list = true)
    ApiEnvelope<List<Map<String, Object>>> projects(@PathVariable String organisationId,
                                                    @RequestParam(defaultValue = "50") int limit,
                                                    @RequestParam(required = false) String cursor,
                                                    @RequestParam(name = "min_position", required = false) Long minPosition,
                                                    HttpServletRequest http) {
        KeysetPage.checkedLimit(limit);
        Cursors.Key after = Cursors.decodeKey(cursor);
        owners.requireOrganisation(organisationId);
        // freshness first: the rows read after it include at least the position it reports
        Map<String, Object> fresh = freshness.require(ProjectBudgetsProjection.GROUP, organisationId, minPosition);
        StringBuilder sql = new StringBuilder("""
                SELECT project_id, fund_id, name, status, currency, budget_amount, spent_amount, remaining_amount, created_at
                  FROM project_budgets WHERE organisation_id = ?""");
        List<Object> parameters = new ArrayList<>(List.of(organisationId));
        KeysetPage.appendTo(sql, parameters, after, "project_id", limit);
        List<Row> rows = replica.transactions().execute(status -> {
            replica.jdbc().query(TenantContext.SET_ORGANISATION, rs -> null, organisationId);
            return replica.jdbc().query(sql.toString(), (rs, n) -> row(rs), parameters.toArray());
        });
        KeysetPage<Row> page = KeysetPage.of(rows, limit, Row::key);
        List<Map<String, Object>> data = page.rows().stream().map(Row::json).toList();
        return ApiEnvelope.list(data, page.hasMore(), page.nextCursor(), RequestIds.current(http))
                .withMeta("served_from", "replica")
                .withMeta("freshness", fresh);
    }

    /** A project as the API shows it, and the key the next page starts after. */
    private record Row(Map<String, Object> json, Cursors.Key key) {
    }

    private static Row row(ResultSet rs) throws SQLException {
        Map<String, Object> project = new LinkedHashMap<>();
        project.put("id", rs.getString("project_id"));
        project.put("fund_id", rs.getString("fund_id"));
        project.put("name", rs.getString("name"));
        project.put("status", rs.getString("status"));
        project.put("currency", rs.getString("currency"));
        project.put("budget_amount", rs.getLong("budget_amount"));
        project.put("spent_amount", ExactSums.of(rs, "spent_amount"));
        project.put("remaining_amount", ExactSums.of(rs, "remaining_amount"));
        return new Row(project, new Cursors.Key(rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getString("project_id")));
    }
}
