package io.amply.command.campaign;

import io.amply.events.OrganisationScoped;
import io.amply.events.campaign.CampaignActivatedEvent;
import io.amply.events.campaign.CampaignCancelledEvent;
import io.amply.events.campaign.CampaignCompletedEvent;
import io.amply.events.campaign.CampaignCreatedEvent;
import io.amply.events.campaign.CampaignDonationRecordedEvent;
import io.amply.events.campaign.CampaignGoalReachedEvent;
import io.amply.events.campaign.CampaignRefundRecordedEvent;
import io.amply.events.campaign.CampaignRefundReversedEvent;
import io.amply.command.lookup.OrganisationContext;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Instant;

/**
 * The campaigns lookup table — status, dates, what each campaign raised — and who owns each
 * campaign, written by the subscribing {@code command-lookups} processor in the same transaction
 * as the events, under each event's organisation context, so the donation endpoint's campaign
 * check sees a change as soon as its command returns. Idempotent.
 */
@Component
@ProcessingGroup("command-lookups")
class CampaignLookups {

    private final JdbcTemplate jdbc;
    private final OrganisationContext context;

    CampaignLookups(JdbcTemplate jdbc, OrganisationContext context) {
        this.jdbc = jdbc;
        this.context = context;
    }

    private void in(OrganisationScoped event) {
        context.enter(event.organisationId());
    }

    private void totals(OrganisationScoped event, String campaignId, long raisedAmount, int donorCount) {
        in(event);
        jdbc.update("UPDATE campaigns SET raised_amount = ?, donor_count = ? WHERE id = ?", raisedAmount, donorCount, campaignId);
    }

    private static java.sql.Timestamp timestamp(Instant at) {
        return at == null ? null : java.sql.Timestamp.from(at);
    }

    @EventHandler
    void on(CampaignCreatedEvent event, @Timestamp Instant at) {
        in(event);
        jdbc.update("""
                INSERT INTO campaigns (id, organisation_id, fund_id, name, goal_amount, currency, status, starts_at, ends_at,
                                       created_at)
                VALUES (?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?) ON CONFLICT (id) DO NOTHING""",
                event.campaignId(), event.organisationId(), event.fundId(), event.name(), event.goalAmount(),
                event.currency(), timestamp(event.startsAt()), timestamp(event.endsAt()), timestamp(at));
        jdbc.update("INSERT INTO resource_owners (id, organisation_id) VALUES (?, ?) ON CONFLICT (id) DO NOTHING",
                event.campaignId(), event.organisationId());
    }

    @EventHandler
    void on(CampaignActivatedEvent event) {
        in(event);
        jdbc.update("UPDATE campaigns SET status = 'active', announced = true WHERE id = ?", event.campaignId());
    }

    @EventHandler
    void on(CampaignCompletedEvent event) {
        in(event);
        jdbc.update("UPDATE campaigns SET status = 'completed' WHERE id = ?", event.campaignId());
    }

    @EventHandler
    void on(CampaignCancelledEvent event) {
        in(event);
        jdbc.update("UPDATE campaigns SET status = 'cancelled' WHERE id = ?", event.campaignId());
    }

    @EventHandler
    void on(CampaignDonationRecordedEvent event) {
        totals(event, event.campaignId(), event.raisedAmount(), event.donorCount());
    }

    @EventHandler
    void on(CampaignRefundRecordedEvent event) {
        totals(event, event.campaignId(), event.raisedAmount(), event.donorCount());
    }

    @EventHandler
    void on(CampaignRefundReversedEvent event) {
        totals(event, event.campaignId(), event.raisedAmount(), event.donorCount());
    }

    @EventHandler
    void on(CampaignGoalReachedEvent event, @Timestamp Instant at) {
        in(event);
        jdbc.update("UPDATE campaigns SET goal_reached_at = COALESCE(goal_reached_at, ?) WHERE id = ?",
                timestamp(at), event.campaignId());
    }
}
