package io.amply.command;

import io.amply.command.lookup.BusinessLookupsReader;
import io.amply.command.web.Ids;
import io.amply.events.business.ApplyMatchCommand;
import io.amply.events.business.MatchCommittedEvent;
import io.amply.events.campaign.RecordCampaignDonationCommand;
import io.amply.events.campaign.RecordCampaignRefundCommand;
import io.amply.events.campaign.ReverseCampaignRefundCommand;
import io.amply.events.donation.DonationReceivedEvent;
import io.amply.events.donation.DonationRefundReversedEvent;
import io.amply.events.donation.DonationRefundedEvent;
import io.amply.events.donation.RecordReceivedDonationCommand;
import io.amply.events.fund.AdjustFundBalanceCommand;
import io.amply.events.fund.FundRestrictions;
import io.amply.events.fund.FundsTransferredOutEvent;
import io.amply.events.fund.OpenFundCommand;
import io.amply.events.fund.ReceiveTransferCommand;
import io.amply.events.organisation.OrganisationCreatedEvent;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.stereotype.Component;

import java.time.Instant;

/**
 * What one aggregate's event means for another: a new organisation opens its General Fund, money
 * received or refunded (or a refund that failed) moves its fund's balance (and its campaign's raised total), a donation in
 * a matching programme's scope is offered to the business for a match, a committed match arrives
 * as a donation of its own, a transfer out arrives in the other fund. A subscribing processor:
 * the follow-up command runs in the same unit of work and database transaction as the event that
 * caused it, so both happen or neither does.
 */
@Component
@ProcessingGroup(MoneyFlows.GROUP)
class MoneyFlows {

    static final String GROUP = "money-flows";
    /** The payment method of a donation that is a business's match of another donation. */
    static final String MATCHING = "matching";

    private final CommandGateway commands;
    private final BusinessLookupsReader businesses;

    MoneyFlows(CommandGateway commands, BusinessLookupsReader businesses) {
        this.commands = commands;
        this.businesses = businesses;
    }

    @EventHandler
    void on(OrganisationCreatedEvent event) {
        commands.sendAndWait(new OpenFundCommand(event.generalFundId(), event.organisationId(), "General Fund",
                "general", event.generalFundCurrency(), FundRestrictions.none(), event.createdBy()));
    }

    /**
     * Books the money onto the fund, counts it towards its campaign, and offers it to every
     * matching programme in scope (a match itself is never matched again).
     */
    @EventHandler
    void on(DonationReceivedEvent event, @Timestamp Instant at) {
        commands.sendAndWait(new AdjustFundBalanceCommand(event.fundId(), event.amount() - event.feeAmount(),
                "donation_received", event.donationId()));
        if (event.campaignId() != null) {
            commands.sendAndWait(new RecordCampaignDonationCommand(event.campaignId(), event.donationId(), event.amount()));
        }
        if (MATCHING.equals(event.paymentMethod())) {
            return;
        }
        for (BusinessLookupsReader.ProgrammeView programme : businesses.programmesInScope(event.organisationId(),
                event.fundId(), event.campaignId(), event.currency(), at, event.businessId())) {
            commands.sendAndWait(new ApplyMatchCommand(programme.businessId(), programme.id(), event.donationId(),
                    Ids.next("don_"), event.organisationId(), event.fundId(), event.campaignId(), event.amount(),
                    event.currency(), event.visibility(), at, event.publicAfter()));
        }
    }

    @EventHandler
    void on(DonationRefundedEvent event) {
        commands.sendAndWait(new AdjustFundBalanceCommand(event.fundId(), -event.amount(), "donation_refunded",
                event.refundId(), Boolean.TRUE.equals(event.recordedByHand())));
        if (event.campaignId() != null) {
            commands.sendAndWait(new RecordCampaignRefundCommand(event.campaignId(), event.donationId(), event.refundId(),
                    event.amount(), event.donationAmount() != null && event.totalRefunded() == event.donationAmount()));
        }
    }

    /**
     * A refund that failed puts its money back on the fund (whatever the fund's state: it came back) and on the
     * campaign's raised total.
     */
    @EventHandler
    void on(DonationRefundReversedEvent event) {
        commands.sendAndWait(new AdjustFundBalanceCommand(event.fundId(), event.amount(), "refund_reversed",
                event.reversalId()));
        if (event.campaignId() != null) {
            commands.sendAndWait(new ReverseCampaignRefundCommand(event.campaignId(), event.donationId(),
                    event.reversalId(), event.amount(), Boolean.TRUE.equals(event.countsAsDonorAgain())));
        }
    }

    /**
     * A committed match arrives as a donation of its own from the business: into the matched
     * donation's fund and campaign, with its visibility and {@code publicAfter} (a match's amount
     * would give the matched donation's away), no fee, payment method {@code matching}, referenced
     * by programme and matched donation. Recorded by the platform, not by a user.
     */
    @EventHandler
    void on(MatchCommittedEvent event) {
        commands.sendAndWait(new RecordReceivedDonationCommand(event.matchDonationId(), event.organisationId(),
                event.fundId(), event.campaignId(), event.amount(), event.currency(), 0, null, MATCHING,
                event.programmeId() + ":" + event.donationId(), event.visibility(), null, event.businessId(),
                event.publicAfter()));
    }

    @EventHandler
    void on(FundsTransferredOutEvent event) {
        commands.sendAndWait(new ReceiveTransferCommand(event.toFundId(), event.transferId(), event.organisationId(),
                event.fundId(), event.amount(), event.currency(), event.visibility(), event.publicAfter(), event.noteId()));
    }
}
