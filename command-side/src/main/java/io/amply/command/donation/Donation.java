package io.amply.command.donation;

import io.amply.command.RuleViolation;
import io.amply.events.donation.DonationReceivedEvent;
import io.amply.events.donation.RecordReceivedDonationCommand;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/** One donation: how much arrived, and (in later steps) what was refunded of it. */
@Aggregate
class Donation {

    /** 2^53 − 1: every amount must survive any JSON reader, as the ledger contract demands. */
    static final long MAX_AMOUNT = 9_007_199_254_740_991L;

    @AggregateIdentifier
    private String donationId;
    private long received;

    Donation() {
        // for Axon
    }

    @CommandHandler
    Donation(RecordReceivedDonationCommand command) {
        if (command.amount() <= 0 || command.amount() > MAX_AMOUNT) {
            throw RuleViolation.invalid("amount", "amount must be a positive number of minor units up to 2^53 - 1");
        }
        if (command.feeAmount() < 0 || command.feeAmount() > command.amount()) {
            throw RuleViolation.invalid("payment.fee_amount", "the fee must be between 0 and the donation's amount");
        }
        apply(new DonationReceivedEvent(command.donationId(), command.organisationId(), command.fundId(),
                command.campaignId(), command.amount(), command.currency(), command.feeAmount(),
                command.feeChargedBy(), command.paymentMethod(), command.paymentReference(), command.visibility()));
    }

    @EventSourcingHandler
    void on(DonationReceivedEvent event) {
        donationId = event.donationId();
        received = event.amount();
    }
}
