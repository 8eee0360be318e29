package io.amply.command.organisation;

import io.amply.events.donation.DonationFailedEvent;
import io.amply.events.donation.DonationInitiatedEvent;
import io.amply.events.donation.DonationReceivedEvent;
import io.amply.events.donation.DonationRefundReversedEvent;
import io.amply.events.donation.DonationRefundedEvent;
import io.amply.events.fund.FundBalanceAdjustedEvent;
import io.amply.events.fund.FundClosedEvent;
import io.amply.events.fund.FundCreatedEvent;
import io.amply.events.fund.FundRestrictions;
import io.amply.events.fund.CorrectionRecordedEvent;
import io.amply.events.fund.ExpenseRecordedEvent;
import io.amply.events.fund.FundsTransferredInEvent;
import io.amply.events.fund.FundsTransferredOutEvent;
import io.amply.events.organisation.MembershipGrantedEvent;
import io.amply.events.organisation.MembershipRevokedEvent;
import io.amply.events.organisation.OrganisationCreatedEvent;
import io.amply.events.organisation.OrganisationProfileUpdatedEvent;
import io.amply.events.organisation.OrganisationReinstatedEvent;
import io.amply.events.organisation.OrganisationSuspendedEvent;
import io.amply.events.organisation.OrganisationVerifiedEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.amply.events.OrganisationScoped;
import io.amply.command.lookup.OrganisationContext;
import io.amply.command.lookup.OrganisationGate;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The command side's own lookup state (organisations, memberships, funds with their balance,
 * donations): written by a subscribing processor in the same transaction as the events, so
 * authorisation, validation and a frontend's read-after-write see a change the moment its
 * command returns. Idempotent; under each event's organisation context. A batch's donations are
 * written together at its end ({@link PendingDonationLookups}).
 */
@Component
@ProcessingGroup(OrganisationLookups.GROUP)
class OrganisationLookups {

    static final String GROUP = "command-lookups";

    private final JdbcTemplate jdbc;
    private final OrganisationContext context;
    private final ObjectMapper json;
    private final PendingDonationLookups donations;

    OrganisationLookups(JdbcTemplate jdbc, OrganisationContext context, ObjectMapper json) {
        this.jdbc = jdbc;
        this.context = context;
        this.json = json;
        this.donations = new PendingDonationLookups(jdbc, context);
    }

    private void in(OrganisationScoped event) {
        context.enter(event.organisationId());
    }

    @EventHandler
    void on(OrganisationCreatedEvent event, @Timestamp Instant at) {
        in(event);
        jdbc.update("""
                INSERT INTO organisations (id, name, country, status, default_visibility, accepts_fundraisers, created_at, updated_at)
                VALUES (?, ?, ?, 'pending', ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING""",
                event.organisationId(), event.name(), event.country(), event.defaultVisibility().name(),
                event.acceptsFundraisers(), java.sql.Timestamp.from(at), java.sql.Timestamp.from(at));
    }

    @EventHandler
    void on(OrganisationProfileUpdatedEvent event, @Timestamp Instant at) {
        in(event);
        jdbc.update("UPDATE organisations SET name = ?, country = ?, default_visibility = ?, accepts_fundraisers = ?, updated_at = ? WHERE id = ?",
                event.name(), event.country(), event.defaultVisibility().name(), event.acceptsFundraisers(),
                java.sql.Timestamp.from(at), event.organisationId());
    }

    @EventHandler
    void on(OrganisationVerifiedEvent event, @Timestamp Instant at) {
        in(event);
        jdbc.update("UPDATE organisations SET status = 'verified', verification_level = ?, updated_at = ? WHERE id = ?",
                event.level(), java.sql.Timestamp.from(at), event.organisationId());
    }

    @EventHandler
    void on(OrganisationSuspendedEvent event, @Timestamp Instant at) {
        in(event);
        // after the money movements under way, before any that come later (OrganisationGate)
        jdbc.query(OrganisationGate.CLOSE, rs -> null, event.organisationId());
        jdbc.update("UPDATE organisations SET status = 'suspended', updated_at = ? WHERE id = ?",
                java.sql.Timestamp.from(at), event.organisationId());
    }

    @EventHandler
    void on(OrganisationReinstatedEvent event, @Timestamp Instant at) {
        in(event);
        jdbc.update("UPDATE organisations SET status = ?, updated_at = ? WHERE id = ?",
                event.status(), java.sql.Timestamp.from(at), event.organisationId());
    }

    @EventHandler
    void on(MembershipGrantedEvent event, @Timestamp Instant at) {
        in(event);
        // a role changed (a finance user made a viewer, say) after the money movements its holder has
        // under way, before any that come later (OrganisationAccess reads roles through the gate)
        jdbc.query(OrganisationGate.CLOSE, rs -> null, event.organisationId());
        jdbc.update("""
                INSERT INTO memberships (user_id, organisation_id, role, created_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (user_id, organisation_id) DO UPDATE SET role = EXCLUDED.role""",
                event.userId(), event.organisationId(), event.role(), java.sql.Timestamp.from(at));
        // accepted, or granted by platform staff meanwhile: the offer is spent
        jdbc.update("DELETE FROM membership_invitations WHERE organisation_id = ? AND user_id = ?",
                event.organisationId(), event.userId());
    }

    @EventHandler
    void on(MembershipRevokedEvent event) {
        in(event);
        jdbc.query(OrganisationGate.CLOSE, rs -> null, event.organisationId()); // as a role's change, above
        jdbc.update("DELETE FROM memberships WHERE user_id = ? AND organisation_id = ?", event.userId(), event.organisationId());
    }

    @EventHandler
    void on(FundCreatedEvent event, @Timestamp Instant at) throws JsonProcessingException {
        in(event);
        jdbc.update("""
                INSERT INTO funds (id, organisation_id, name, type, currency, restrictions, created_by, created_at)
                VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?) ON CONFLICT (id) DO NOTHING""",
                event.fundId(), event.organisationId(), event.name(), event.type(), event.currency(),
                json.writeValueAsString(restrictions(event.restrictions())),
                event.createdBy(), java.sql.Timestamp.from(at));
        owns(event.fundId(), event.organisationId());
    }

    /** The restrictions as the API names them (snake_case), unset ones left out. */
    private static Map<String, String> restrictions(FundRestrictions restrictions) {
        Map<String, String> named = new LinkedHashMap<>();
        if (restrictions != null) {
            putIfSet(named, "purpose", restrictions.purpose());
            putIfSet(named, "geography", restrictions.geography());
            putIfSet(named, "starts_on", restrictions.startsOn());
            putIfSet(named, "ends_on", restrictions.endsOn());
        }
        return named;
    }

    private static void putIfSet(Map<String, String> map, String key, Object value) {
        if (value != null) {
            map.put(key, value.toString());
        }
    }

    private void owns(String resourceId, String organisationId) {
        jdbc.update("INSERT INTO resource_owners (id, organisation_id) VALUES (?, ?) ON CONFLICT (id) DO NOTHING",
                resourceId, organisationId);
    }

    @EventHandler
    void on(FundBalanceAdjustedEvent event) {
        in(event);
        jdbc.update("UPDATE funds SET balance = ? WHERE id = ?", event.balance(), event.fundId());
    }

    @EventHandler
    void on(ExpenseRecordedEvent event) {
        in(event);
        jdbc.update("UPDATE funds SET balance = balance - ? WHERE id = ?", event.amount(), event.fundId());
    }

    @EventHandler
    void on(FundsTransferredOutEvent event) {
        in(event);
        jdbc.update("UPDATE funds SET balance = balance - ? WHERE id = ?", event.amount(), event.fundId());
    }

    @EventHandler
    void on(FundsTransferredInEvent event) {
        in(event);
        jdbc.update("UPDATE funds SET balance = balance + ? WHERE id = ?", event.amount(), event.fundId());
    }

    @EventHandler
    void on(CorrectionRecordedEvent event) {
        in(event);
        jdbc.update("UPDATE funds SET balance = balance + ? WHERE id = ?", event.amount(), event.fundId());
    }

    @EventHandler
    void on(FundClosedEvent event) {
        in(event);
        jdbc.update("UPDATE funds SET status = 'closed' WHERE id = ?", event.fundId());
    }

    @EventHandler
    void on(DonationInitiatedEvent event, @Timestamp Instant at) {
        // written with the batch's other donations when the batch is done, completed if it is received meanwhile
        donations.initiated(event, at);
    }

    @EventHandler
    void on(DonationReceivedEvent event, @Timestamp Instant at) {
        if (donations.received(event, at)) {
            return;
        }
        in(event);
        jdbc.update("UPDATE donations SET status = 'completed', fee_amount = ?, payment_reference = ?, updated_at = ? WHERE id = ?",
                event.feeAmount(), event.paymentReference(), java.sql.Timestamp.from(at), event.donationId());
    }

    @EventHandler
    void on(DonationFailedEvent event, @Timestamp Instant at) {
        donations.flush();
        in(event);
        // Stripe's code; one given through the API is already on the row, and its event names none
        jdbc.update("UPDATE donations SET status = 'failed', failure_reason = coalesce(?, failure_reason), updated_at = ? WHERE id = ?",
                event.reason(), java.sql.Timestamp.from(at), event.donationId());
    }

    @EventHandler
    void on(DonationRefundedEvent event, @Timestamp Instant at) {
        refundedTo(event, event.donationId(), event.totalRefunded(), at);
    }

    @EventHandler
    void on(DonationRefundReversedEvent event, @Timestamp Instant at) {
        refundedTo(event, event.donationId(), event.totalRefunded(), at);
    }

    /** The running total decides the status: a failed refund booked back can take a donation back to completed. */
    private void refundedTo(OrganisationScoped event, String donationId, long totalRefunded, Instant at) {
        donations.flush();
        in(event);
        jdbc.update("""
                UPDATE donations SET refunded_amount = ?, updated_at = ?,
                       status = CASE WHEN ? >= amount THEN 'refunded' WHEN ? > 0 THEN 'partially_refunded' ELSE 'completed' END
                 WHERE id = ?""",
                totalRefunded, java.sql.Timestamp.from(at), totalRefunded, totalRefunded, donationId);
    }
}
