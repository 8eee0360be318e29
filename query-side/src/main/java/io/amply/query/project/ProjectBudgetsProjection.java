package io.amply.query.project;

import io.amply.db.TenantContext;
import io.amply.events.fund.CorrectionRecordedEvent;
import io.amply.events.fund.ExpenseRecordedEvent;
import io.amply.events.project.ProjectActivatedEvent;
import io.amply.events.project.ProjectCancelledEvent;
import io.amply.events.project.ProjectCompletedEvent;
import io.amply.events.project.ProjectCreatedEvent;
import io.amply.query.readmodel.BatchingJdbc;
import io.amply.query.readmodel.RebuildableProjection;
import io.amply.query.readmodel.Target;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.util.List;

/**
 * The projects read model: each project with its budget and status (project_summaries), and one
 * row per expense booked against it (project_spending), so what is spent is a sum (view
 * project_budgets) and a redelivered event changes nothing.
 */
@Component
@ProcessingGroup(ProjectBudgetsProjection.GROUP)
public class ProjectBudgetsProjection implements RebuildableProjection {

    public static final String GROUP = "project-budgets";

    private final JdbcTemplate jdbc;
    private final String summaries;
    private final String spending;

    @Autowired
    ProjectBudgetsProjection(JdbcTemplate jdbc) {
        // its handlers only write, and never use a write's row count: batched per unit of work
        this(new BatchingJdbc(jdbc.getDataSource()), Target.LIVE);
    }

    private ProjectBudgetsProjection(JdbcTemplate jdbc, Target target) {
        this.jdbc = jdbc;
        this.summaries = target.table("project_summaries");
        this.spending = target.table("project_spending");
    }

    @Override
    public String processingGroup() {
        return GROUP;
    }

    @Override
    public List<String> tables() {
        return List.of("project_summaries", "project_spending");
    }

    @Override
    public Object writingTo(Target target, JdbcTemplate jdbc) {
        return new ProjectBudgetsProjection(jdbc, target);
    }

    @EventHandler
    void on(ProjectCreatedEvent event, EventMessage<?> message) {
        inOrganisation(event.organisationId());
        Timestamp at = Timestamp.from(message.getTimestamp());
        jdbc.update("""
                INSERT INTO %s (project_id, organisation_id, fund_id, name, budget_amount, currency, status, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, 'planning', ?, ?) ON CONFLICT (project_id) DO NOTHING""".formatted(summaries),
                event.projectId(), event.organisationId(), event.fundId(), event.name(), event.budgetAmount(), event.currency(),
                at, at);
    }

    @EventHandler
    void on(ProjectActivatedEvent event, EventMessage<?> message) {
        status(event.organisationId(), event.projectId(), "active", message);
    }

    @EventHandler
    void on(ProjectCompletedEvent event, EventMessage<?> message) {
        status(event.organisationId(), event.projectId(), "completed", message);
    }

    @EventHandler
    void on(ProjectCancelledEvent event, EventMessage<?> message) {
        status(event.organisationId(), event.projectId(), "cancelled", message);
    }

    @EventHandler
    void on(ExpenseRecordedEvent event, EventMessage<?> message) {
        if (event.projectId() == null || event.amount() <= 0) {
            return; // not booked against a project (or adds nothing: rows are never zero)
        }
        inOrganisation(event.organisationId());
        jdbc.update("""
                INSERT INTO %s (source_event_id, organisation_id, project_id, amount, occurred_at)
                VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""".formatted(spending),
                message.getIdentifier(), event.organisationId(), event.projectId(), event.amount(),
                Timestamp.from(message.getTimestamp()));
    }

    /**
     * A correction of a project's expense changes what the project spent: a reversal of 300 is a row
     * of −300. Rows of one project sum to what it spent (a correction never takes an expense below nothing).
     */
    @EventHandler
    void on(CorrectionRecordedEvent event, EventMessage<?> message) {
        if (event.projectId() == null) {
            return; // not an expense of a project (or recorded before corrections named it)
        }
        inOrganisation(event.organisationId());
        jdbc.update("""
                INSERT INTO %s (source_event_id, organisation_id, project_id, amount, occurred_at)
                VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""".formatted(spending),
                message.getIdentifier(), event.organisationId(), event.projectId(), -event.amount(),
                Timestamp.from(message.getTimestamp()));
    }

    @ResetHandler
    void reset() {
        // a rebuild starts from nothing; RLS limits DELETE to one organisation, so go through them all
        for (String organisationId : jdbc.queryForList("SELECT DISTINCT organisation_id FROM resource_owners", String.class)) {
            inOrganisation(organisationId);
            jdbc.update("DELETE FROM " + spending + " WHERE organisation_id = ?", organisationId);
            jdbc.update("DELETE FROM " + summaries + " WHERE organisation_id = ?", organisationId);
        }
    }

    private void status(String organisationId, String projectId, String status, EventMessage<?> message) {
        inOrganisation(organisationId);
        jdbc.update("UPDATE " + summaries + " SET status = ?, updated_at = ? WHERE organisation_id = ? AND project_id = ?",
                status, Timestamp.from(message.getTimestamp()), organisationId, projectId);
    }

    private void inOrganisation(String organisationId) {
        jdbc.query(TenantContext.SET_ORGANISATION, rs -> null, organisationId);
    }
}
