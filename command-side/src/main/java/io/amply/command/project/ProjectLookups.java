package io.amply.command.project;

import io.amply.events.OrganisationScoped;
import io.amply.events.project.ProjectActivatedEvent;
import io.amply.events.project.ProjectCancelledEvent;
import io.amply.events.project.ProjectCompletedEvent;
import io.amply.events.project.ProjectCreatedEvent;
import io.amply.command.lookup.OrganisationContext;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Instant;

/**
 * The projects lookup table (and who owns each project), written by the subscribing
 * {@code command-lookups} processor in the same transaction as the events, under each event's
 * organisation context. Idempotent.
 */
@Component
@ProcessingGroup("command-lookups")
class ProjectLookups {

    private final JdbcTemplate jdbc;
    private final OrganisationContext context;

    ProjectLookups(JdbcTemplate jdbc, OrganisationContext context) {
        this.jdbc = jdbc;
        this.context = context;
    }

    private void in(OrganisationScoped event) {
        context.enter(event.organisationId());
    }

    @EventHandler
    void on(ProjectCreatedEvent event, @Timestamp Instant at) {
        in(event);
        jdbc.update("""
                INSERT INTO projects (id, organisation_id, fund_id, name, budget_amount, currency, status, created_at)
                VALUES (?, ?, ?, ?, ?, ?, 'planning', ?) ON CONFLICT (id) DO NOTHING""",
                event.projectId(), event.organisationId(), event.fundId(), event.name(), event.budgetAmount(),
                event.currency(), java.sql.Timestamp.from(at));
        jdbc.update("INSERT INTO resource_owners (id, organisation_id) VALUES (?, ?) ON CONFLICT (id) DO NOTHING",
                event.projectId(), event.organisationId());
    }

    @EventHandler
    void on(ProjectActivatedEvent event) {
        in(event);
        jdbc.update("UPDATE projects SET status = 'active' WHERE id = ?", event.projectId());
    }

    @EventHandler
    void on(ProjectCompletedEvent event) {
        in(event);
        jdbc.update("UPDATE projects SET status = 'completed' WHERE id = ?", event.projectId());
    }

    @EventHandler
    void on(ProjectCancelledEvent event) {
        in(event);
        jdbc.update("UPDATE projects SET status = 'cancelled' WHERE id = ?", event.projectId());
    }
}
