package io.amply.command.donation;

import io.amply.command.RuleViolation;
import io.amply.events.Amounts;
import io.amply.events.Visibility;
import io.amply.events.donation.ApplyProviderRefundsCommand;
import io.amply.events.donation.CompleteDonationCommand;
import io.amply.events.donation.DonationFailedEvent;
import io.amply.events.donation.DonationInitiatedEvent;
import io.amply.events.donation.DonationReceivedEvent;
import io.amply.events.donation.DonationRefundReversedEvent;
import io.amply.events.donation.DonationRefundedEvent;
import io.amply.events.donation.DonationRefundsIdentifiedEvent;
import io.amply.events.donation.FailDonationCommand;
import io.amply.events.donation.IdentifiedRefund;
import io.amply.events.donation.InitiateDonationCommand;
import io.amply.events.donation.ProviderRefund;
import io.amply.events.donation.ProviderRefundsApplied;
import io.amply.events.donation.RecordReceivedDonationCommand;
import io.amply.events.donation.RefundDonationCommand;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
    /** The provider's refunds booked and standing: their id → the amount booked. */
    private final Map<String, Long> providerRefunds = new HashMap<>();
    /** The provider's refunds booked back (failed or cancelled): never booked again. */
    private final Set<String> providerRefundsGone = new HashSet<>();
    /** Refunded without a provider's refund id: by hand, or from the provider's total before 2026-11-29. */
    private boolean refundedUntracked;

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
                command.noteId(), null));
    }

    /**
     * The provider's refunds of the payment as they stand now, oldest first: a refund first seen standing is booked
     * ({@link DonationRefundedEvent} naming it), one first seen failed or cancelled is booked back if it was booked
     * ({@link DonationRefundReversedEvent}), or booked and booked back at once if it never was, so that a report read
     * before it failed, applied later, finds it settled. A refund's state only moves forward, and refunds a report
     * does not list (read before they were made) are left as they are: reports read at different moments, applied
     * in any order, come to the same books. Decided under this aggregate's lock. A donation with refunds booked
     * without the provider's ids (before 2026-11-29, or by hand before 2026-11-28) follows the provider's standing
     * total upwards, as it did; once its refunded total comes to exactly some of the provider's refunds (every one
     * listed, the standing ones, or else another set of them) they are identified as those, by id
     * ({@link DonationRefundsIdentifiedEvent}), and tracked from then on, so a failure is booked back. Until then it books nothing back: which of its refunds a failure
     * undoes is not known. Before the donation completed its refund cannot apply yet (refused; the provider delivers the report again).
     */
    @CommandHandler
    ProviderRefundsApplied handle(ApplyProviderRefundsCommand command) {
        if (status != Status.completed) {
            throw RuleViolation.conflict("donation " + donationId + " is " + status + "; a refund applies once it is completed");
        }
        long standing = 0;
        Set<String> listed = new HashSet<>();
        for (ProviderRefund refund : command.refunds()) {
            if (refund.amount() <= 0 || refund.providerRefundId() == null || !listed.add(refund.providerRefundId())) {
                throw RuleViolation.invalid("refunds", "each of the provider's refunds has an id of its own and a positive amount");
            }
            standing += refund.standing() ? refund.amount() : 0;
        }
        if (standing > amount) {
            throw RuleViolation.conflict("the refunds reported, " + standing + ", exceed the " + amount + " donation "
                    + donationId + " received");
        }
        if (refundedUntracked) {
            long before = refunded;
            if (standing > refunded) {
                ProviderRefund newest = command.refunds().stream().filter(ProviderRefund::standing).reduce((a, b) -> b).orElseThrow();
                refund(newest.refundId(), standing - refunded, newest.reason(), null);
            }
            long upwards = refunded - before;
            Set<String> booked = bookedAmong(command.refunds(), refunded);
            if (booked == null) {
                return new ProviderRefundsApplied(upwards, 0, 0, true, false);
            }
            // The books come to exactly some of the provider's refunds (every one it lists, some failed since they were
            // booked; or the standing ones, those that failed never counted; or else the first such set). Each is tracked
            // by its id from now on: whichever set it is, what follows leaves the books at the provider's standing total
            apply(new DonationRefundsIdentifiedEvent(donationId, organisationId,
                    command.refunds().stream().filter(r -> booked.contains(r.providerRefundId()))
                            .map(r -> new IdentifiedRefund(r.providerRefundId(), r.amount())).toList(),
                    command.refunds().stream().filter(r -> !booked.contains(r.providerRefundId()) && !r.standing())
                            .map(ProviderRefund::providerRefundId).toList()));
            ProviderRefundsApplied tracked = applyTracked(backFirst(command.refunds()));
            return new ProviderRefundsApplied(upwards + tracked.refunded(), tracked.bookedBack(), tracked.failedBeforeBooked(),
                    false, true);
        }
        return applyTracked(backFirst(command.refunds()));
    }

    /**
     * The provider's refunds, what comes back first: those booked that failed since, then those that failed before they
     * were booked (booked and booked back at once), then those standing; within each, as listed (oldest first). So no
     * refund is weighed against money that is about to come back: refunds made in the same second may be listed in
     * either order, and a new or failed-at-once refund ahead of one booked that failed would find no room beside it,
     * refusing every report of the charge from then on.
     */
    private List<ProviderRefund> backFirst(List<ProviderRefund> refunds) {
        List<ProviderRefund> ordered = new ArrayList<>(refunds);
        ordered.sort(Comparator.comparingInt(refund -> refund.standing() ? 2
                : providerRefunds.containsKey(refund.providerRefundId()) ? 0 : 1)); // stable: the listed order within each
        return ordered;
    }

    /**
     * Which of the provider's refunds (their ids) come to {@code total}, the refunds a donation booked without their ids:
     * every one listed, else the standing ones, else the first set that keeps the oldest refunds longest (of a charge's
     * few refunds; more than 16 are not searched). Null when none does: then which refunds the books count is not known.
     */
    private static Set<String> bookedAmong(List<ProviderRefund> refunds, long total) {
        if (refunds.stream().mapToLong(ProviderRefund::amount).sum() == total) {
            return ids(refunds);
        }
        List<ProviderRefund> standing = refunds.stream().filter(ProviderRefund::standing).toList();
        if (standing.stream().mapToLong(ProviderRefund::amount).sum() == total) {
            return ids(standing);
        }
        int n = refunds.size();
        if (n > 16) {
            return null;
        }
        // the oldest refund is the highest bit, so counting down drops the newest refunds first
        for (int set = (1 << n) - 1; set > 0; set--) {
            List<ProviderRefund> chosen = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if ((set & (1 << (n - 1 - i))) != 0) {
                    chosen.add(refunds.get(i));
                }
            }
            if (chosen.stream().mapToLong(ProviderRefund::amount).sum() == total) {
                return ids(chosen);
            }
        }
        return null;
    }

    private static Set<String> ids(List<ProviderRefund> refunds) {
        Set<String> ids = new HashSet<>();
        refunds.forEach(refund -> ids.add(refund.providerRefundId()));
        return ids;
    }

    /** Books each of the provider's refunds once, when first seen standing, and books it back once, when first seen gone. */
    private ProviderRefundsApplied applyTracked(List<ProviderRefund> refunds) {
        long newlyRefunded = 0;
        long bookedBack = 0;
        long failedBeforeBooked = 0;
        for (ProviderRefund refund : refunds) {
            String id = refund.providerRefundId();
            if (providerRefundsGone.contains(id) || refund.standing() && providerRefunds.containsKey(id)) {
                continue;
            }
            boolean known = providerRefunds.containsKey(id);
            if (!known) {
                if (refunded + refund.amount() > amount) {
                    throw RuleViolation.conflict("refund " + id + " of " + refund.amount() + " would take donation "
                            + donationId + " beyond the " + amount + " it received");
                }
                refund(refund.refundId(), refund.amount(), refund.standing() ? refund.reason() : null, id);
            }
            if (refund.standing()) {
                newlyRefunded += refund.amount();
            } else {
                long back = providerRefunds.get(id);
                // refunded in full, the donation was taken off its campaign's donors (MoneyFlows told the campaign so from
                // the refund's donationAmount; a campaign took refunds recorded before that field off by itself)
                apply(new DonationRefundReversedEvent(donationId, organisationId, fundId, refund.reversalId(), back, currency,
                        refund.reason(), refunded - back, visibility, campaignId, publicAfter, amount, id,
                        refunded == amount));
                if (known) {
                    bookedBack += back;
                } else {
                    failedBeforeBooked += back;
                }
            }
        }
        return new ProviderRefundsApplied(newlyRefunded, bookedBack, failedBeforeBooked, false, false);
    }

    private void refund(String refundId, long refund, String reason, String providerRefundId) {
        apply(new DonationRefundedEvent(donationId, organisationId, fundId, refundId, refund, currency, reason,
                refunded + refund, visibility, campaignId, publicAfter, amount, false, null, providerRefundId));
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
        if (event.providerRefundId() != null) {
            providerRefunds.put(event.providerRefundId(), event.amount());
        } else {
            refundedUntracked = true;
        }
    }

    @EventSourcingHandler
    void on(DonationRefundsIdentifiedEvent event) {
        refundedUntracked = false;
        if (event.booked() != null) {
            event.booked().forEach(refund -> providerRefunds.put(refund.providerRefundId(), refund.amount()));
        }
        if (event.neverBooked() != null) {
            providerRefundsGone.addAll(event.neverBooked());
        }
    }

    @EventSourcingHandler
    void on(DonationRefundReversedEvent event) {
        refunded = event.totalRefunded();
        providerRefunds.remove(event.providerRefundId());
        providerRefundsGone.add(event.providerRefundId());
    }
}
