package io.amply.command.donation;

import io.amply.command.RuleViolation;
import io.amply.events.Amounts;
import io.amply.events.Visibility;
import io.amply.events.donation.CompleteDonationCommand;
import io.amply.events.donation.DonationFailedEvent;
import io.amply.events.donation.DonationInitiatedEvent;
import io.amply.events.donation.DonationReceivedEvent;
import io.amply.events.donation.DonationRefundReversedEvent;
import io.amply.events.donation.DonationRefundedEvent;
import io.amply.events.donation.FailDonationCommand;
import io.amply.events.donation.InitiateDonationCommand;
import io.amply.events.donation.RecordReceivedDonationCommand;
import io.amply.events.donation.RefundDonationCommand;
import io.amply.events.donation.RefundDonationToTotalCommand;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Instant;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/** One donation: pending → completed | failed, then refunded in part or in full (and a failed refund booked back). */
@Aggregate(cache = "aggregateCache")
class Donation {


    enum Status { pending, completed, failed }

    @AggregateIdentifier
    private String donationId;
    private String organisationId;
    private String fundId;
    private String campaignId;
    private String businessId;
    private long amount;
    private String currency;
    private Visibility visibility;
    /** When a delayed_public donation's entries become public; its refunds carry it too. */
    private Instant publicAfter;
    private Status status;
    private long refunded;
    /** Paid through Stripe: its refunds are recorded from Stripe's reports only. */
    private boolean paidThroughStripe;

    Donation() {
        // for Axon
    }

    @CommandHandler
    Donation(InitiateDonationCommand command) {
        requireValidAmount(command.amount());
        requirePublicAfterOnlyWhenDelayed(command.visibility(), command.publicAfter());
        apply(new DonationInitiatedEvent(command.donationId(), command.organisationId(), command.fundId(),
                command.campaignId(), command.businessId(), command.amount(), command.currency(), command.visibility(),
                command.donorCoversFees(), command.publicAfter()));
    }

    /** Money received outside the payment provider: initiated and completed at once. */
    @CommandHandler
    Donation(RecordReceivedDonationCommand command) {
        requireValidAmount(command.amount());
        requireValidFee(command.feeAmount(), command.amount(), "payment.fee_amount");
        requirePublicAfterOnlyWhenDelayed(command.visibility(), command.publicAfter());
        apply(new DonationInitiatedEvent(command.donationId(), command.organisationId(), command.fundId(),
                command.campaignId(), command.businessId(), command.amount(), command.currency(), command.visibility(),
                false, command.publicAfter()));
        apply(new DonationReceivedEvent(command.donationId(), command.organisationId(), command.fundId(),
                command.campaignId(), command.amount(), command.currency(), command.feeAmount(),
                command.feeChargedBy(), command.paymentMethod(), command.paymentReference(), command.visibility(),
                command.businessId(), command.publicAfter()));
    }

    /**
     * A failed donation moved no money, so it may still complete: a card declined first and then
     * accepted (Stripe keeps the payment open for another try), or a bank transfer that came late.
     */
    @CommandHandler
    void handle(CompleteDonationCommand command) {
        if (status == Status.completed) {
            throw RuleViolation.conflict("donation " + donationId + " is already completed");
        }
        requireValidFee(command.feeAmount(), amount, "fee_amount"); // the completion's body is the payment itself
        apply(new DonationReceivedEvent(donationId, organisationId, fundId, campaignId, amount, currency,
                command.feeAmount(), command.feeChargedBy(), command.paymentMethod(), command.paymentReference(),
                visibility, businessId, publicAfter));
    }

    @CommandHandler
    void handle(FailDonationCommand command) {
        if (status != Status.pending) {
            throw RuleViolation.conflict("donation " + donationId + " is " + status + ", not pending");
        }
        apply(new DonationFailedEvent(donationId, organisationId, command.reason()));
    }

    @CommandHandler
    void handle(RefundDonationCommand command) {
        if (status != Status.completed) {
            throw RuleViolation.conflict("donation " + donationId + " is " + status + "; only completed donations are refunded");
        }
        // Stripe's refund reports carry its running total, and a refund recorded here as well could be the
        // same money or other money: nothing tells which, so each payment's refunds have one source
        if (paidThroughStripe) {
            throw RuleViolation.conflict("donation " + donationId + " was paid through Stripe: refund it in Stripe, "
                    + "whose report records the refund here");
        }
        if (command.amount() <= 0) {
            throw RuleViolation.invalid("amount", "a refund is a positive amount");
        }
        if (command.amount() > amount - refunded) {
            throw RuleViolation.conflict("only " + (amount - refunded) + " of donation " + donationId
                    + " can still be refunded");
        }
        apply(new DonationRefundedEvent(donationId, organisationId, fundId, command.refundId(), command.amount(),
                currency, null, refunded + command.amount(), visibility, campaignId, publicAfter, amount, true, // the reason is the note's
                command.noteId()));
    }

    /**
     * Brings the donation's refunded total to the provider's: the part not refunded yet is refunded, and a part
     * refunded here that the provider no longer counts (a refund that failed, its money back in the account) is
     * booked back. Decided under this aggregate's lock, so two reports arriving together count the provider's
     * total once. Returns the change: what was refunded now (&gt; 0), booked back (&lt; 0), or 0. Before the
     * donation completed its refund cannot apply yet (refused; the provider delivers the report again).
     */
    @CommandHandler
    long handle(RefundDonationToTotalCommand command) {
        if (status != Status.completed) {
            throw RuleViolation.conflict("donation " + donationId + " is " + status + "; a refund applies once it is completed");
        }
        if (command.refundedInAll() > amount) {
            throw RuleViolation.conflict("the refunds reported, " + command.refundedInAll() + ", exceed the "
                    + amount + " donation " + donationId + " received");
        }
        if (command.refundedInAll() < 0) {
            throw RuleViolation.invalid("refunded_in_all", "a provider's refunded total is never negative");
        }
        long change = command.refundedInAll() - refunded;
        if (change > 0) {
            apply(new DonationRefundedEvent(donationId, organisationId, fundId, command.refundId(), change, currency,
                    command.reason(), command.refundedInAll(), visibility, campaignId, publicAfter, amount, false, null));
        } else if (change < 0) {
            // refunds recorded by hand are not the provider's to undo: its total never counted them
            if (!paidThroughStripe) {
                throw RuleViolation.conflict("donation " + donationId + " was not paid through the provider, whose "
                        + "refunded total of " + command.refundedInAll() + " cannot book back its refunds");
            }
            apply(new DonationRefundReversedEvent(donationId, organisationId, fundId, command.reversalId(), -change,
                    currency, command.failureReason(), command.refundedInAll(), visibility, campaignId, publicAfter, amount));
        }
        return change;
    }

    private static void requireValidAmount(long amount) {
        if (amount <= 0 || amount > Amounts.MAX) {
            throw RuleViolation.invalid("amount", "amount must be a positive number of minor units up to 2^53 - 1");
        }
    }

    /**
     * Only a delayed_public donation names when it becomes public. Not the reverse: a match of a
     * delayed_public donation recorded before the field existed has none, and must still be booked.
     */
    private static void requirePublicAfterOnlyWhenDelayed(Visibility visibility, Instant publicAfter) {
        if (publicAfter != null && visibility != Visibility.delayed_public) {
            throw RuleViolation.invalid("public_after", "public_after goes only with visibility delayed_public, not "
                    + visibility);
        }
    }

    private static void requireValidFee(long fee, long amount, String param) {
        if (fee < 0 || fee > amount) {
            throw RuleViolation.invalid(param, "the fee must be between 0 and the donation's amount");
        }
    }

    @EventSourcingHandler
    void on(DonationInitiatedEvent event) {
        donationId = event.donationId();
        organisationId = event.organisationId();
        fundId = event.fundId();
        campaignId = event.campaignId();
        businessId = event.businessId();
        amount = event.amount();
        currency = event.currency();
        visibility = event.visibility();
        publicAfter = event.publicAfter();
        status = Status.pending;
    }

    @EventSourcingHandler
    void on(DonationReceivedEvent event) {
        status = Status.completed;
        paidThroughStripe = CompleteDonationCommand.refundedThroughStripe(event.paymentMethod(), event.paymentReference());
    }

    @EventSourcingHandler
    void on(DonationFailedEvent event) {
        status = Status.failed;
    }

    @EventSourcingHandler
    void on(DonationRefundedEvent event) {
        refunded = event.totalRefunded();
    }

    @EventSourcingHandler
    void on(DonationRefundReversedEvent event) {
        refunded = event.totalRefunded();
    }
}
