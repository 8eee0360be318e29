package io.amply.command.organisation;

import io.amply.db.TenantContext;
import io.amply.events.organisation.FundCreatedEvent;
import io.amply.events.organisation.OrganisationCreatedEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Instant;

/**
 * The command side's own lookup state (organisations, funds, memberships): written by a
 * subscribing processor in the same transaction as the events, so authorisation and validation
 * see a new organisation the moment its command returns. Idempotent.
 */
@Component
@ProcessingGroup(OrganisationLookups.GROUP)
class OrganisationLookups {

    static final String GROUP = "command-lookups";

    private final JdbcTemplate jdbc;

    OrganisationLookups(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(OrganisationCreatedEvent event, @Timestamp Instant at) {
        jdbc.query(TenantContext.SET_ORGANISATION, rs -> null, event.organisationId());
        jdbc.update("""
                INSERT INTO organisations (id, name, country, status, default_visibility, created_at, updated_at)
                VALUES (?, ?, ?, 'pending', ?, ?, ?) ON CONFLICT (id) DO NOTHING""",
                event.organisationId(), event.name(), event.country(), event.defaultVisibility().name(),
                java.sql.Timestamp.from(at), java.sql.Timestamp.from(at));
        jdbc.update("""
                INSERT INTO memberships (user_id, organisation_id, role, created_at) VALUES (?, ?, 'owner', ?)
                ON CONFLICT (user_id, organisation_id) DO NOTHING""",
                event.createdBy(), event.organisationId(), java.sql.Timestamp.from(at));
    }

    @EventHandler
    void on(FundCreatedEvent event, @Timestamp Instant at) {
        jdbc.query(TenantContext.SET_ORGANISATION, rs -> null, event.organisationId());
        jdbc.update("""
                INSERT INTO funds (id, organisation_id, name, type, currency, created_at)
                VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING""",
                event.fundId(), event.organisationId(), event.name(), event.type(), event.currency(),
                java.sql.Timestamp.from(at));
    }
}
