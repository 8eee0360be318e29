package io.amply.command;

import io.amply.events.donation.DonationReceivedEvent;
import io.amply.events.donation.DonationRefundedEvent;
import io.amply.events.fund.AdjustFundBalanceCommand;
import io.amply.events.fund.FundRestrictions;
import io.amply.events.fund.FundsTransferredOutEvent;
import io.amply.events.fund.OpenFundCommand;
import io.amply.events.fund.ReceiveTransferCommand;
import io.amply.events.organisation.OrganisationCreatedEvent;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

/**
 * What one aggregate's event means for another: a new organisation opens its General Fund, money
 * received or refunded moves its fund's balance, a transfer out arrives in the other fund.
 * A subscribing processor: the follow-up command runs in the same unit of work and database
 * transaction as the event that caused it, so both happen or neither does.
 */
@Component
@ProcessingGroup(MoneyFlows.GROUP)
class MoneyFlows {

    static final String GROUP = "money-flows";

    private final CommandGateway commands;

    MoneyFlows(CommandGateway commands) {
        this.commands = commands;
    }

    @EventHandler
    void on(OrganisationCreatedEvent event) {
        commands.sendAndWait(new OpenFundCommand(event.generalFundId(), event.organisationId(), "General Fund",
                "general", event.generalFundCurrency(), FundRestrictions.none(), event.createdBy()));
    }

    @EventHandler
    void on(DonationReceivedEvent event) {
        commands.sendAndWait(new AdjustFundBalanceCommand(event.fundId(), event.amount() - event.feeAmount(),
                "donation_received", event.donationId()));
    }

    @EventHandler
    void on(DonationRefundedEvent event) {
        commands.sendAndWait(new AdjustFundBalanceCommand(event.fundId(), -event.amount(), "donation_refunded",
                event.refundId()));
    }

    @EventHandler
    void on(FundsTransferredOutEvent event) {
        commands.sendAndWait(new ReceiveTransferCommand(event.toFundId(), event.transferId(), event.organisationId(),
                event.fundId(), event.amount(), event.currency(), event.memo(), event.visibility()));
    }
}
