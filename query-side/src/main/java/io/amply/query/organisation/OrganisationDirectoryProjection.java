package io.amply.query.organisation;

import io.amply.events.Visibility;
import io.amply.events.donation.DonationReceivedEvent;
import io.amply.events.donation.DonationRefundedEvent;
import io.amply.events.fund.ExpenseRecordedEvent;
import io.amply.events.fund.FundsTransferredOutEvent;
import io.amply.events.organisation.OrganisationCreatedEvent;
import io.amply.events.organisation.OrganisationProfileUpdatedEvent;
import io.amply.events.organisation.OrganisationReinstatedEvent;
import io.amply.events.organisation.OrganisationSuspendedEvent;
import io.amply.events.organisation.OrganisationVerifiedEvent;
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
 * The public directory of organisations and their money totals per currency (received, donations,
 * refunds, fees, and spending by the visibility of its entries). Public by design: profiles and
 * sums, never an entry. Totals are counters, so each event is first recorded in
 * organisation_totals_applied in the same transaction: a redelivered event adds nothing.
 */
@Component
@ProcessingGroup(OrganisationDirectoryProjection.GROUP)
class OrganisationDirectoryProjection implements RebuildableProjection {

    static final String GROUP = "organisation-directory";

    private final JdbcTemplate jdbc;
    private final String profiles;
    private final String totals;
    private final String applied;

    @Autowired
    OrganisationDirectoryProjection(JdbcTemplate jdbc) {
        this(jdbc, Target.LIVE);
    }

    private OrganisationDirectoryProjection(JdbcTemplate jdbc, Target target) {
        this.jdbc = jdbc;
        this.profiles = target.table("organisation_profiles");
        this.totals = target.table("organisation_totals");
        this.applied = target.table("organisation_totals_applied");
    }

    @Override
    public String processingGroup() {
        return GROUP;
    }

    @Override
    public List<String> tables() {
        return List.of("organisation_profiles", "organisation_totals", "organisation_totals_applied");
    }

    @Override
    public Object writingTo(Target target, JdbcTemplate jdbc) {
        return new OrganisationDirectoryProjection(jdbc, target);
    }

    @EventHandler
    void on(OrganisationCreatedEvent event, EventMessage<?> message) {
        Timestamp at = Timestamp.from(message.getTimestamp());
        jdbc.update("""
                INSERT INTO %s (organisation_id, name, country, status, verification_level, default_visibility,
                                accepts_fundraisers, created_at, updated_at)
                VALUES (?, ?, ?, 'pending', 'none', ?, ?, ?, ?) ON CONFLICT (organisation_id) DO NOTHING""".formatted(profiles),
                event.organisationId(), event.name(), event.country(), event.defaultVisibility().name(),
                event.acceptsFundraisers(), at, at);
    }

    @EventHandler
    void on(OrganisationProfileUpdatedEvent event, EventMessage<?> message) {
        jdbc.update("UPDATE " + profiles + " SET name = ?, country = ?, default_visibility = ?, accepts_fundraisers = ?, updated_at = ?"
                        + " WHERE organisation_id = ?",
                event.name(), event.country(), event.defaultVisibility().name(), event.acceptsFundraisers(),
                Timestamp.from(message.getTimestamp()), event.organisationId());
    }

    @EventHandler
    void on(OrganisationVerifiedEvent event, EventMessage<?> message) {
        jdbc.update("UPDATE " + profiles + " SET status = 'verified', verification_level = ?, updated_at = ? WHERE organisation_id = ?",
                event.level(), Timestamp.from(message.getTimestamp()), event.organisationId());
    }

    @EventHandler
    void on(OrganisationSuspendedEvent event, EventMessage<?> message) {
        status(event.organisationId(), "suspended", message);
    }

    @EventHandler
    void on(OrganisationReinstatedEvent event, EventMessage<?> message) {
        status(event.organisationId(), event.status(), message);
    }

    @EventHandler
    void on(DonationReceivedEvent event, EventMessage<?> message) {
        if (firstTime(message)) {
            add(event.organisationId(), event.currency(), event.amount(), 1, event.feeAmount(), 0, null, 0);
        }
    }

    @EventHandler
    void on(DonationRefundedEvent event, EventMessage<?> message) {
        if (firstTime(message)) {
            add(event.organisationId(), event.currency(), 0, 0, 0, event.amount(), null, 0);
        }
    }

    @EventHandler
    void on(ExpenseRecordedEvent event, EventMessage<?> message) {
        if (firstTime(message)) {
            add(event.organisationId(), event.currency(), 0, 0, 0, 0, event.visibility(), event.amount());
        }
    }

    /** Money sent to another organisation is spending; a move between two funds of one organisation is not. */
    @EventHandler
    void on(FundsTransferredOutEvent event, EventMessage<?> message) {
        if (!event.organisationId().equals(event.toOrganisationId()) && firstTime(message)) {
            add(event.organisationId(), event.currency(), 0, 0, 0, 0, event.visibility(), event.amount());
        }
    }

    @ResetHandler
    void reset() {
        jdbc.update("DELETE FROM " + totals);
        jdbc.update("DELETE FROM " + applied);
        jdbc.update("DELETE FROM " + profiles);
    }

    private void status(String organisationId, String status, EventMessage<?> message) {
        jdbc.update("UPDATE " + profiles + " SET status = ?, updated_at = ? WHERE organisation_id = ?",
                status, Timestamp.from(message.getTimestamp()), organisationId);
    }

    private boolean firstTime(EventMessage<?> message) {
        return jdbc.update("INSERT INTO " + applied + " (source_event_id) VALUES (?) ON CONFLICT DO NOTHING", message.getIdentifier()) == 1;
    }

    private void add(String organisationId, String currency, long received, long donations, long fees, long refunded,
                     Visibility spentVisibility, long spent) {
        Visibility visibility = spentVisibility == null ? Visibility.public_full : spentVisibility;
        jdbc.update("""
                INSERT INTO %s AS t (organisation_id, currency, received_amount, donation_count, fees_amount, refunded_amount,
                                     spent_public_full, spent_public_aggregated, spent_delayed_public, spent_internal_only)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (organisation_id, currency) DO UPDATE SET
                    received_amount = t.received_amount + excluded.received_amount,
                    donation_count = t.donation_count + excluded.donation_count,
                    fees_amount = t.fees_amount + excluded.fees_amount,
                    refunded_amount = t.refunded_amount + excluded.refunded_amount,
                    spent_public_full = t.spent_public_full + excluded.spent_public_full,
                    spent_public_aggregated = t.spent_public_aggregated + excluded.spent_public_aggregated,
                    spent_delayed_public = t.spent_delayed_public + excluded.spent_delayed_public,
                    spent_internal_only = t.spent_internal_only + excluded.spent_internal_only""".formatted(totals),
                organisationId, currency, received, donations, fees, refunded,
                visibility == Visibility.public_full ? spent : 0, visibility == Visibility.public_aggregated ? spent : 0,
                visibility == Visibility.delayed_public ? spent : 0, visibility == Visibility.internal_only ? spent : 0);
    }
}
