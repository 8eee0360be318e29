package io.amply.query.campaign;

import io.amply.db.TenantContext;
import io.amply.events.campaign.CampaignActivatedEvent;
import io.amply.events.campaign.CampaignCancelledEvent;
import io.amply.events.campaign.CampaignCompletedEvent;
import io.amply.events.campaign.CampaignCreatedEvent;
import io.amply.events.campaign.CampaignGoalReachedEvent;
import io.amply.events.donation.DonationReceivedEvent;
import io.amply.events.donation.DonationRefundReversedEvent;
import io.amply.events.donation.DonationRefundedEvent;
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
import java.time.Instant;
import java.util.List;

/**
 * The campaigns read model: each campaign as created and moved through its states
 * (campaign_summaries), and one row per donation, match, refund or refund booked back counted towards it
 * (campaign_contributions), so progress is a sum (view campaign_progress) and a redelivered event
 * changes nothing. Everything comes from the events and their timestamps, so a rebuild
 * reproduces it exactly.
 */
@Component
@ProcessingGroup(CampaignProgressProjection.GROUP)
public class CampaignProgressProjection implements RebuildableProjection {

    public static final String GROUP = "campaign-progress";

    /**
     * A campaign the public sees, as SQL on campaign_summaries: activated once, so not a draft, nor a draft cancelled
     * before it was announced. An active or completed one was, whatever {@code announced} says: a node of the
     * version before V42 still running after the migration sets only the status when it handles an activation.
     */
    public static final String ANNOUNCED = "(announced OR status IN ('active', 'completed'))";
    /** The payment method of a donation that is a business's match of another donation (MoneyFlows). */
    private static final String MATCHING = "matching";

    private final JdbcTemplate jdbc;
    private final String summaries;
    private final String contributions;

    @Autowired
    CampaignProgressProjection(JdbcTemplate jdbc) {
        // its handlers only write, and never use a write's row count: batched per unit of work
        this(new BatchingJdbc(jdbc.getDataSource()), Target.LIVE);
    }

    private CampaignProgressProjection(JdbcTemplate jdbc, Target target) {
        this.jdbc = jdbc;
        this.summaries = target.table("campaign_summaries");
        this.contributions = target.table("campaign_contributions");
    }

    @Override
    public String processingGroup() {
        return GROUP;
    }

    @Override
    public List<String> tables() {
        return List.of("campaign_summaries", "campaign_contributions");
    }

    @Override
    public Object writingTo(Target target, JdbcTemplate jdbc) {
        return new CampaignProgressProjection(jdbc, target);
    }

    @EventHandler
    void on(CampaignCreatedEvent event, EventMessage<?> message) {
        inOrganisation(event.organisationId());
        Timestamp at = Timestamp.from(message.getTimestamp());
        jdbc.update("""
                INSERT INTO %s (campaign_id, organisation_id, fund_id, name, goal_amount, currency, status, starts_at, ends_at,
                                goal_reached_at, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, 'draft', ?, ?, NULL, ?, ?) ON CONFLICT (campaign_id) DO NOTHING""".formatted(summaries),
                event.campaignId(), event.organisationId(), event.fundId(), event.name(), event.goalAmount(), event.currency(),
                timestamp(event.startsAt()), timestamp(event.endsAt()), at, at);
    }

    @EventHandler
    void on(CampaignActivatedEvent event, EventMessage<?> message) {
        inOrganisation(event.organisationId());
        // public from now on, whatever happens to it later (a draft cancelled before this never is)
        jdbc.update("UPDATE " + summaries + " SET status = 'active', announced = true, updated_at = ? "
                        + "WHERE organisation_id = ? AND campaign_id = ?",
                Timestamp.from(message.getTimestamp()), event.organisationId(), event.campaignId());
    }

    @EventHandler
    void on(CampaignCompletedEvent event, EventMessage<?> message) {
        status(event.organisationId(), event.campaignId(), "completed", message);
    }

    @EventHandler
    void on(CampaignCancelledEvent event, EventMessage<?> message) {
        status(event.organisationId(), event.campaignId(), "cancelled", message);
    }

    @EventHandler
    void on(CampaignGoalReachedEvent event, EventMessage<?> message) {
        inOrganisation(event.organisationId());
        // the first time counts (the aggregate says it once; a redelivery must not move it)
        Timestamp at = Timestamp.from(message.getTimestamp());
        jdbc.update("""
                UPDATE %s SET goal_reached_at = coalesce(goal_reached_at, ?),
                              updated_at = CASE WHEN goal_reached_at IS NULL THEN ? ELSE updated_at END
                 WHERE organisation_id = ? AND campaign_id = ?""".formatted(summaries),
                at, at, event.organisationId(), event.campaignId());
    }

    @EventHandler
    void on(DonationReceivedEvent event, EventMessage<?> message) {
        if (event.campaignId() != null) {
            // gross: the campaign counts what the donor gave, as the Campaign aggregate does
            contribute(message, event.organisationId(), event.campaignId(), event.donationId(),
                    MATCHING.equals(event.paymentMethod()) ? "match" : "donation", event.amount());
        }
    }

    @EventHandler
    void on(DonationRefundedEvent event, EventMessage<?> message) {
        if (event.campaignId() != null) {
            contribute(message, event.organisationId(), event.campaignId(), event.donationId(), "refund", event.amount());
        }
    }

    /** A refund that failed counts again (V45: the view adds every kind but {@code refund}). */
    @EventHandler
    void on(DonationRefundReversedEvent event, EventMessage<?> message) {
        if (event.campaignId() != null) {
            contribute(message, event.organisationId(), event.campaignId(), event.donationId(), "refund_reversed",
                    event.amount());
        }
    }

    @ResetHandler
    void reset() {
        // a rebuild starts from nothing; RLS limits DELETE to one organisation, so go through them all
        for (String organisationId : jdbc.queryForList("SELECT DISTINCT organisation_id FROM resource_owners", String.class)) {
            inOrganisation(organisationId);
            jdbc.update("DELETE FROM " + contributions + " WHERE organisation_id = ?", organisationId);
            jdbc.update("DELETE FROM " + summaries + " WHERE organisation_id = ?", organisationId);
        }
    }

    private void status(String organisationId, String campaignId, String status, EventMessage<?> message) {
        inOrganisation(organisationId);
        jdbc.update("UPDATE " + summaries + " SET status = ?, updated_at = ? WHERE organisation_id = ? AND campaign_id = ?",
                status, Timestamp.from(message.getTimestamp()), organisationId, campaignId);
    }

    private void contribute(EventMessage<?> message, String organisationId, String campaignId, String donationId, String kind,
                            long amount) {
        if (amount <= 0) {
            return; // adds nothing to any total, and the table holds only positive amounts
        }
        inOrganisation(organisationId);
        jdbc.update("""
                INSERT INTO %s (source_event_id, source_index, organisation_id, campaign_id, donation_id, kind, amount, occurred_at)
                VALUES (?, 0, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""".formatted(contributions),
                message.getIdentifier(), organisationId, campaignId, donationId, kind, amount,
                Timestamp.from(message.getTimestamp()));
    }

    private void inOrganisation(String organisationId) {
        jdbc.query(TenantContext.SET_ORGANISATION, rs -> null, organisationId);
    }

    private static Timestamp timestamp(Instant at) {
        return at == null ? null : Timestamp.from(at);
    }
}
