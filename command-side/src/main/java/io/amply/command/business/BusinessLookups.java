package io.amply.command.business;

import io.amply.command.lookup.OrganisationContext;
import io.amply.events.business.BusinessCreatedEvent;
import io.amply.events.business.BusinessVerifiedEvent;
import io.amply.events.business.MatchCommittedEvent;
import io.amply.events.business.MatchingProgrammeAcceptedEvent;
import io.amply.events.business.MatchingProgrammeDeclinedEvent;
import io.amply.events.business.MatchingProgrammeStartedEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Instant;

/**
 * The businesses table (global: a business gives to many organisations, so no row-level
 * security) and the matching_programmes table (tenant data of the organisation whose donations
 * are matched, written under its context), by the subscribing {@code command-lookups} processor
 * in the same transaction as the events. The money flows read matching_programmes to find the
 * programmes a donation falls in. Idempotent.
 */
@Component
@ProcessingGroup("command-lookups")
class BusinessLookups {

    private final JdbcTemplate jdbc;
    private final OrganisationContext context;

    BusinessLookups(JdbcTemplate jdbc, OrganisationContext context) {
        this.jdbc = jdbc;
        this.context = context;
    }

    private static java.sql.Timestamp timestamp(Instant at) {
        return at == null ? null : java.sql.Timestamp.from(at);
    }

    @EventHandler
    void on(BusinessCreatedEvent event, @Timestamp Instant at) {
        jdbc.update("""
                INSERT INTO businesses (id, name, country, status, manager_user_id, created_at)
                VALUES (?, ?, ?, 'pending', ?, ?) ON CONFLICT (id) DO NOTHING""",
                event.businessId(), event.name(), event.country(), event.managerUserId(), timestamp(at));
    }

    @EventHandler
    void on(BusinessVerifiedEvent event, @Timestamp Instant at) {
        jdbc.update("UPDATE businesses SET status = 'verified', verified_at = ? WHERE id = ?",
                timestamp(at), event.businessId());
    }

    @EventHandler
    void on(MatchingProgrammeStartedEvent event, @Timestamp Instant at) {
        context.enter(event.organisationId());
        jdbc.update("""
                INSERT INTO matching_programmes (id, business_id, organisation_id, campaign_id, ratio_percent, cap_amount,
                                                 used_amount, currency, starts_at, ends_at, created_at, status)
                VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING""",
                event.programmeId(), event.businessId(), event.organisationId(), event.campaignId(),
                event.ratioPercent(), event.capAmount(), event.currency(), timestamp(event.startsAt()),
                timestamp(event.endsAt()), timestamp(at),
                // stored before consent existed (null): it matched at once
                Boolean.TRUE.equals(event.awaitsConsent()) ? "proposed" : "active");
        jdbc.update("INSERT INTO resource_owners (id, organisation_id) VALUES (?, ?) ON CONFLICT (id) DO NOTHING",
                event.programmeId(), event.organisationId());
    }

    @EventHandler
    void on(MatchingProgrammeAcceptedEvent event, @Timestamp Instant at) {
        context.enter(event.organisationId());
        jdbc.update("UPDATE matching_programmes SET status = 'active', decided_at = ?, decided_by = ? WHERE id = ?",
                timestamp(at), event.acceptedBy(), event.programmeId());
    }

    @EventHandler
    void on(MatchingProgrammeDeclinedEvent event, @Timestamp Instant at) {
        context.enter(event.organisationId());
        jdbc.update("UPDATE matching_programmes SET status = 'declined', decided_at = ?, decided_by = ? WHERE id = ?",
                timestamp(at), event.declinedBy(), event.programmeId());
    }

    @EventHandler
    void on(MatchCommittedEvent event) {
        context.enter(event.organisationId());
        jdbc.update("UPDATE matching_programmes SET used_amount = ? WHERE id = ?", event.usedAmount(), event.programmeId());
    }
}
