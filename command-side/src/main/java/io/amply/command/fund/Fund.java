package io.amply.command.fund;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.amply.command.RuleViolation;
import io.amply.events.Amounts;
import io.amply.events.Visibility;
import io.amply.events.fund.AdjustFundBalanceCommand;
import io.amply.events.fund.CloseFundCommand;
import io.amply.events.fund.CorrectionRecordedEvent;
import io.amply.events.fund.ExpenseRecordedEvent;
import io.amply.events.fund.FundBalanceAdjustedEvent;
import io.amply.events.fund.FundClosedEvent;
import io.amply.events.fund.FundCreatedEvent;
import io.amply.events.fund.FundsTransferredInEvent;
import io.amply.events.fund.FundsTransferredOutEvent;
import io.amply.events.fund.OpenFundCommand;
import io.amply.events.fund.ReceiveTransferCommand;
import io.amply.events.fund.RecordCorrectionCommand;
import io.amply.events.fund.RecordExpenseCommand;
import io.amply.events.fund.TransferFundsCommand;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.serialization.Revision;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A fund and its balance, in one currency. Money goes out (expenses, transfers) only up to the
 * balance; money that arrived or was refunded elsewhere is booked in by the command side. A
 * correction changes an entry the fund booked itself (an expense, a fee) and never by more than
 * what that entry moved: a donation is corrected by refunding it (which its Donation keeps count
 * of), a transfer by a transfer back (so that both organisations' ledgers agree).
 */
// Snapshots are written by Axon's (Jackson) serializer, which sees no getters here: it must read
// and write the fields, or a snapshot is empty and the aggregate cannot be loaded from it (SnapshotsIT).
// The revision makes Axon ignore snapshots of another revision (the empty ones older nodes wrote).
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
// 2: the corrections made to each entry are part of the state (a snapshot without them would let an
// entry be reversed twice)
@Revision("2")
@Aggregate(snapshotTriggerDefinition = "fundSnapshotTrigger", cache = "aggregateCache")
class Fund {

    static final Set<String> TYPES = Set.of("general", "project", "restricted", "emergency");
    static final Set<String> CURRENCIES = Set.of("EUR", "GBP", "USD", "CHF");
    static final Set<String> CORRECTION_KINDS = Set.of("reversal", "adjustment");
    /** Ledger entry types a correction may refer to: money the fund itself booked out. */
    static final Set<String> CORRECTABLE = Set.of("expense", "fee");

    @AggregateIdentifier
    private String fundId;
    private String organisationId;
    private String currency;
    private boolean closed;
    private long balance;
    /** Per corrected ledger entry, the sum of its corrections so far (signed). */
    private Map<String, Long> corrections = new HashMap<>();

    Fund() {
        // for Axon
    }

    @CommandHandler
    Fund(OpenFundCommand command) {
        if (!TYPES.contains(command.type())) {
            throw RuleViolation.invalid("type", "type is one of " + TYPES);
        }
        if (!CURRENCIES.contains(command.currency())) {
            throw RuleViolation.invalid("currency", "currency is one of " + CURRENCIES);
        }
        var r = command.restrictions();
        if (r != null && r.startsOn() != null && r.endsOn() != null && r.endsOn().isBefore(r.startsOn())) {
            throw RuleViolation.invalid("restrictions.ends_on", "the restriction window ends before it starts");
        }
        apply(new FundCreatedEvent(command.fundId(), command.organisationId(), command.name(), command.type(),
                command.currency(), command.restrictions(), command.createdBy()));
    }

    @CommandHandler
    void handle(AdjustFundBalanceCommand command) {
        // money that already moved (a donation, a refund) is booked even on a closed fund
        requireHoldable(command.delta());
        // a closed fund took its money elsewhere: a refund of what it once received is booked there and brought
        // back to zero by a transfer (ReceiveTransferCommand), since nothing can be moved into it beforehand
        if (command.heldToBalance() && !closed && command.delta() < 0 && balance + command.delta() < 0) {
            throw RuleViolation.conflict("fund " + fundId + " holds " + balance + " " + currency + " (minor units), less than "
                    + -command.delta() + ": a refund recorded here is held to its fund's balance, as an expense is; "
                    + "move money into the fund first");
        }
        apply(new FundBalanceAdjustedEvent(fundId, organisationId, command.delta(), currency, command.cause(),
                command.reference(), balance + command.delta()));
    }

    @CommandHandler
    void handle(RecordExpenseCommand command) {
        requireOpen();
        requireSpendable(command.amount(), command.currency());
        requirePublicAfterOnlyWhenDelayed(command.visibility(), command.publicAfter());
        apply(new ExpenseRecordedEvent(fundId, organisationId, command.expenseId(), command.projectId(),
                command.amount(), command.currency(), command.category(), command.recipientType(),
                null, command.visibility(), command.publicAfter(), command.noteId())); // the reference is the note's
    }

    /**
     * Also from a closed fund: money that moved after it closed (a card payment for a donation
     * pledged before, booked as it must be) is not left stranded there; it can be moved to an open
     * fund. A closed fund only ever moves money back towards zero ({@link #handle(ReceiveTransferCommand)}).
     */
    @CommandHandler
    void handle(TransferFundsCommand command) {
        if (fundId.equals(command.toFundId())) {
            throw RuleViolation.invalid("to_fund_id", "a fund cannot transfer to itself");
        }
        requireSpendable(command.amount(), command.currency());
        requirePublicAfterOnlyWhenDelayed(command.visibility(), command.publicAfter());
        apply(new FundsTransferredOutEvent(fundId, organisationId, command.transferId(), command.toOrganisationId(),
                command.toFundId(), command.amount(), command.currency(), null, command.visibility(), // the memo is the note's
                command.publicAfter(), command.noteId()));
    }

    @CommandHandler
    void handle(ReceiveTransferCommand command) {
        if (!currency.equals(command.currency())) {
            throw RuleViolation.invalid("currency", "fund " + fundId + " holds " + currency + ", not " + command.currency());
        }
        // a closed fund below zero (a refund booked after its money was moved out) may be brought back to zero
        if (closed && command.amount() > -balance) {
            throw RuleViolation.conflict("fund " + fundId + " is closed"
                    + (balance < 0 ? "; it takes at most the " + -balance + " that bring it back to zero" : ""));
        }
        requireHoldable(command.amount());
        apply(new FundsTransferredInEvent(fundId, organisationId, command.transferId(), command.fromOrganisationId(),
                command.fromFundId(), command.amount(), command.currency(), null, command.visibility(),
                command.publicAfter(), command.noteId()));
    }

    @CommandHandler
    void handle(RecordCorrectionCommand command) {
        if (!CORRECTION_KINDS.contains(command.kind())) {
            throw RuleViolation.invalid("kind", "kind is one of " + CORRECTION_KINDS);
        }
        if (command.amount() == 0) {
            throw RuleViolation.invalid("amount", "a correction moves a non-zero amount");
        }
        if (!currency.equals(command.currency())) {
            throw RuleViolation.invalid("currency", "fund " + fundId + " holds " + currency + ", not " + command.currency());
        }
        requireOpen();
        requireCorrectable(command.correctsEntryId(), command.correctsEntryType());
        // what the entry moves once its corrections so far are counted (signed, as the ledger holds it)
        long standing = command.correctsEntryAmount() + corrections.getOrDefault(command.correctsEntryId(), 0L);
        if ("reversal".equals(command.kind())) {
            if (standing == 0) {
                throw RuleViolation.conflict("entry " + command.correctsEntryId() + " has already been corrected to nothing");
            }
            if (command.amount() != -standing) {
                throw RuleViolation.invalid("amount", "a reversal of entry " + command.correctsEntryId() + " moves exactly "
                        + -standing + ", what the entry still moves");
            }
        } else if (Long.signum(standing + command.amount()) == -Long.signum(command.correctsEntryAmount())) {
            throw RuleViolation.invalid("amount", "an adjustment changes entry " + command.correctsEntryId()
                    + " at most to nothing, not past it: at most " + -standing);
        }
        if (command.amount() < 0 && -command.amount() > balance) {
            throw RuleViolation.conflict("the correction would take fund " + fundId + " below zero (balance "
                    + balance + ")");
        }
        requireHoldable(command.amount());
        requirePublicAfterOnlyWhenDelayed(command.visibility(), command.publicAfter());
        apply(new CorrectionRecordedEvent(fundId, organisationId, command.correctionId(), command.kind(),
                command.correctsEntryId(), command.amount(), command.currency(), null, command.visibility(), // the reason is the note's
                command.publicAfter(), command.correctsEntryProjectId(), command.correctsEntryType(), command.noteId()));
    }

    private static void requireCorrectable(String entryId, String type) {
        if (CORRECTABLE.contains(type)) {
            return;
        }
        String instead = switch (type) {
            case "donation_received", "donation_refunded" -> "a donation is corrected by refunding it (POST /v1/donations/{id}/refund)";
            case "transfer_out", "transfer_in", "fund_transfer_out", "fund_transfer_in" -> "a transfer is undone by a transfer back";
            case "reversal", "adjustment" -> "a correction is not corrected itself: correct the entry it corrects";
            default -> "only expenses and fees are corrected";
        };
        throw RuleViolation.invalid("corrects_entry_id", "entry " + entryId + " is a " + type + "; " + instead);
    }

    @CommandHandler
    void handle(CloseFundCommand command) {
        requireOpen();
        if (balance != 0) {
            throw RuleViolation.conflict("fund " + fundId + " still holds " + balance + " " + currency
                    + " (minor units); move or spend it before closing");
        }
        apply(new FundClosedEvent(fundId, organisationId, command.closedBy()));
    }

    /**
     * A balance stays an amount: at most 2^53 − 1 (else it would wrap, or no JSON reader would read it
     * exactly). This refuses even money that already moved (a donation booked, which then fails and
     * is retried): at 90 trillion in any of our currencies, no fund comes near it.
     */
    private void requireHoldable(long increase) {
        if (increase > 0 && balance > Amounts.MAX - increase) {
            throw RuleViolation.conflict("fund " + fundId + " would hold more than 2^53 - 1 minor units, the most any amount may be");
        }
    }

    private void requireOpen() {
        if (closed) {
            throw RuleViolation.conflict("fund " + fundId + " is closed");
        }
    }

    /** Only a delayed_public entry names when it becomes public (ledger-hash-v1 §5). */
    private static void requirePublicAfterOnlyWhenDelayed(Visibility visibility, Instant publicAfter) {
        if (publicAfter != null && visibility != Visibility.delayed_public) {
            throw RuleViolation.invalid("public_after", "public_after goes only with visibility delayed_public, not "
                    + visibility);
        }
    }

    private void requireSpendable(long amount, String requestedCurrency) {
        if (!currency.equals(requestedCurrency)) {
            throw RuleViolation.invalid("currency", "fund " + fundId + " holds " + currency + ", not " + requestedCurrency);
        }
        if (amount <= 0) {
            throw RuleViolation.invalid("amount", "amount must be positive");
        }
        if (amount > balance) {
            throw RuleViolation.conflict("fund " + fundId + " holds " + balance + " " + currency
                    + " (minor units), less than " + amount);
        }
    }

    @EventSourcingHandler
    void on(FundCreatedEvent event) {
        fundId = event.fundId();
        organisationId = event.organisationId();
        currency = event.currency();
    }

    @EventSourcingHandler
    void on(FundBalanceAdjustedEvent event) {
        balance += event.delta();
    }

    @EventSourcingHandler
    void on(ExpenseRecordedEvent event) {
        balance -= event.amount();
    }

    @EventSourcingHandler
    void on(FundsTransferredOutEvent event) {
        balance -= event.amount();
    }

    @EventSourcingHandler
    void on(FundsTransferredInEvent event) {
        balance += event.amount();
    }

    @EventSourcingHandler
    void on(CorrectionRecordedEvent event) {
        balance += event.amount();
        corrections.merge(event.correctsEntryId(), event.amount(), Long::sum);
    }

    @EventSourcingHandler
    void on(FundClosedEvent event) {
        closed = true;
    }
}
