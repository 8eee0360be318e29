package io.amply.command.campaign;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.amply.command.RuleViolation;
import io.amply.events.Amounts;
import io.amply.events.campaign.ActivateCampaignCommand;
import io.amply.events.campaign.CampaignActivatedEvent;
import io.amply.events.campaign.CampaignCancelledEvent;
import io.amply.events.campaign.CampaignCompletedEvent;
import io.amply.events.campaign.CampaignCreatedEvent;
import io.amply.events.campaign.CampaignDonationRecordedEvent;
import io.amply.events.campaign.CampaignGoalReachedEvent;
import io.amply.events.campaign.CampaignRefundRecordedEvent;
import io.amply.events.campaign.CampaignRefundReversedEvent;
import io.amply.events.campaign.CancelCampaignCommand;
import io.amply.events.campaign.CompleteCampaignCommand;
import io.amply.events.campaign.CreateCampaignCommand;
import io.amply.events.campaign.RecordCampaignDonationCommand;
import io.amply.events.campaign.RecordCampaignRefundCommand;
import io.amply.events.campaign.ReverseCampaignRefundCommand;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.serialization.Revision;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Instant;
import java.util.Set;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A fundraising campaign: draft → active → completed | cancelled, with a goal in one currency.
 * It keeps what it raised (gross, minor units) and its donor count — the number of donations
 * counted and not refunded in full, since donors are anonymous to events — and says once, when
 * the raised total first reaches the goal, that the goal was reached.
 *
 * <p>A campaign lives as long as its donations (one event each), so it is snapshotted like a fund,
 * and its state stays the same size however many donations it counts: it keeps no per-donation
 * record. Each donation is counted once because its {@code DonationReceivedEvent}, which sends the
 * count, happens once per donation (the Donation aggregate's rule), and a refund never takes more
 * than the donation received (the Donation's rule too; the refund says when nothing is left).
 */
// fields, not getters, in its snapshots, and snapshots of this revision only: see Fund
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
@Revision("1")
@Aggregate(snapshotTriggerDefinition = "campaignSnapshotTrigger", cache = "aggregateCache")
class Campaign {

    static final Set<String> CURRENCIES = Set.of("EUR", "GBP", "USD", "CHF");

    enum Status { draft, active, completed, cancelled }

    @AggregateIdentifier
    private String campaignId;
    private String organisationId;
    private String currency;
    private long goalAmount;
    private Instant endsAt;
    private Status status;
    private long raisedAmount;
    private int donorCount;
    private boolean goalReached;

    Campaign() {
        // for Axon
    }

    @CommandHandler
    Campaign(CreateCampaignCommand command) {
        if (command.goalAmount() <= 0 || command.goalAmount() > Amounts.MAX) {
            throw RuleViolation.invalid("goal_amount", "goal_amount must be a positive number of minor units up to 2^53 - 1");
        }
        if (!CURRENCIES.contains(command.currency())) {
            throw RuleViolation.invalid("currency", "currency is one of " + CURRENCIES);
        }
        if (command.startsAt() != null && command.endsAt() != null && !command.endsAt().isAfter(command.startsAt())) {
            throw RuleViolation.invalid("ends_at", "the campaign must end after it starts");
        }
        apply(new CampaignCreatedEvent(command.campaignId(), command.organisationId(), command.fundId(), command.name(),
                command.goalAmount(), command.currency(), command.startsAt(), command.endsAt(), command.createdBy()));
    }

    @CommandHandler
    void handle(ActivateCampaignCommand command) {
        if (status != Status.draft) {
            throw RuleViolation.conflict("campaign " + campaignId + " is " + status + "; only a draft can be activated");
        }
        if (endsAt != null && command.activatedAt() != null && !command.activatedAt().isBefore(endsAt)) {
            throw RuleViolation.conflict("campaign " + campaignId + " ended at " + endsAt + "; it cannot be activated");
        }
        apply(new CampaignActivatedEvent(campaignId, organisationId, command.activatedBy()));
    }

    @CommandHandler
    void handle(CompleteCampaignCommand command) {
        if (status != Status.active) {
            throw RuleViolation.conflict("campaign " + campaignId + " is " + status + "; only an active campaign can be completed");
        }
        apply(new CampaignCompletedEvent(campaignId, organisationId, raisedAmount, donorCount, command.completedBy()));
    }

    @CommandHandler
    void handle(CancelCampaignCommand command) {
        if (status == Status.completed || status == Status.cancelled) {
            throw RuleViolation.conflict("campaign " + campaignId + " is " + status + " and cannot be cancelled");
        }
        apply(new CampaignCancelledEvent(campaignId, organisationId, null, command.cancelledBy())); // the reason is kept beside it
    }

    /**
     * Counts a donation whose money arrived. Only a campaign that was never activated refuses it:
     * whether a donation may be attributed to the campaign (active, within its dates, same
     * currency) is decided when the donation is made, over HTTP. By the time the money arrives
     * (a card payment confirmed later, a bank transfer recorded afterwards) the campaign may have
     * completed or been cancelled, and the money is in the fund regardless; refusing here would
     * roll back the donation itself (this command runs in the same transaction as the
     * DonationReceivedEvent), so the campaign records it.
     */
    @CommandHandler
    void handle(RecordCampaignDonationCommand command) {
        if (status == Status.draft) {
            throw RuleViolation.conflict("campaign " + campaignId + " was never activated and cannot count donations");
        }
        if (command.amount() <= 0) {
            throw RuleViolation.invalid("amount", "a campaign donation is a positive amount");
        }
        if (raisedAmount > Amounts.MAX - command.amount()) {
            throw RuleViolation.conflict("campaign " + campaignId + " would have raised more than 2^53 - 1 minor units, "
                    + "the most any amount may be");
        }
        long raised = raisedAmount + command.amount();
        apply(new CampaignDonationRecordedEvent(campaignId, organisationId, command.donationId(), command.amount(),
                currency, raised, donorCount + 1));
        sayIfGoalReached(command.donationId(), raised);
    }

    /** The first time the raised total reaches the goal, said once. */
    private void sayIfGoalReached(String donationId, long raised) {
        if (!goalReached && raised >= goalAmount) {
            apply(new CampaignGoalReachedEvent(campaignId, organisationId, donationId, goalAmount, raised, currency));
        }
    }

    /** Takes a refund off the raised total, in whatever status the campaign is now (the money left the fund). */
    @CommandHandler
    void handle(RecordCampaignRefundCommand command) {
        // a refund of a counted donation is never more than the total it is part of: anything else is a bug
        if (command.amount() <= 0 || command.amount() > raisedAmount) {
            throw RuleViolation.invalid("amount", "a campaign refund is a positive amount up to the " + raisedAmount
                    + " campaign " + campaignId + " raised");
        }
        if (command.refundedInFull() && donorCount == 0) {
            throw RuleViolation.conflict("campaign " + campaignId + " counts no donor to take off");
        }
        apply(new CampaignRefundRecordedEvent(campaignId, organisationId, command.donationId(), command.refundId(),
                command.amount(), currency, raisedAmount - command.amount(),
                command.refundedInFull() ? donorCount - 1 : donorCount));
    }

    /**
     * Puts a refund that failed back on the raised total (the money came back to the fund), in whatever status the
     * campaign is now; a donation that was refunded in full counts as a donor again. The total only returns to
     * where it stood before the refund, so a goal it reaches again was reached then, and said then.
     */
    @CommandHandler
    void handle(ReverseCampaignRefundCommand command) {
        if (command.amount() <= 0 || command.amount() > Amounts.MAX - raisedAmount) {
            throw RuleViolation.invalid("amount", "a refund booked back is a positive amount");
        }
        long raised = raisedAmount + command.amount();
        apply(new CampaignRefundReversedEvent(campaignId, organisationId, command.donationId(), command.reversalId(),
                command.amount(), currency, raised, command.wasRefundedInFull() ? donorCount + 1 : donorCount));
        sayIfGoalReached(command.donationId(), raised); // only a campaign passed before goal-reached events existed
    }

    @EventSourcingHandler
    void on(CampaignCreatedEvent event) {
        campaignId = event.campaignId();
        organisationId = event.organisationId();
        currency = event.currency();
        goalAmount = event.goalAmount();
        endsAt = event.endsAt();
        status = Status.draft;
    }

    @EventSourcingHandler
    void on(CampaignActivatedEvent event) {
        status = Status.active;
    }

    @EventSourcingHandler
    void on(CampaignCompletedEvent event) {
        status = Status.completed;
    }

    @EventSourcingHandler
    void on(CampaignCancelledEvent event) {
        status = Status.cancelled;
    }

    @EventSourcingHandler
    void on(CampaignDonationRecordedEvent event) {
        raisedAmount = event.raisedAmount();
        donorCount = event.donorCount();
    }

    @EventSourcingHandler
    void on(CampaignGoalReachedEvent event) {
        goalReached = true;
    }

    @EventSourcingHandler
    void on(CampaignRefundRecordedEvent event) {
        raisedAmount = event.raisedAmount();
        donorCount = event.donorCount();
    }

    @EventSourcingHandler
    void on(CampaignRefundReversedEvent event) {
        raisedAmount = event.raisedAmount();
        donorCount = event.donorCount();
    }
}
