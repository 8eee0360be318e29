package io.amply.query.ledger;

import io.amply.events.donation.DonationReceivedEvent;
import io.amply.events.donation.DonationRefundedEvent;
import io.amply.events.fund.CorrectionRecordedEvent;
import io.amply.events.fund.ExpenseRecordedEvent;
import io.amply.events.fund.FundsTransferredInEvent;
import io.amply.events.fund.FundsTransferredOutEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns money events into hash-chained ledger entries (docs/ledger.md). Events are sequenced
 * by organisation (see query-side.yml), so one thread at a time extends a chain; a batch of
 * events is collected in memory and appended when the batch's transaction is about to commit,
 * in one INSERT per organisation, together with the processor's token.
 */
@Component
@ProcessingGroup(LedgerProjector.GROUP)
class LedgerProjector {

    static final String GROUP = "ledger";
    private static final String BATCH = LedgerProjector.class.getName() + ".batch";

    private final LedgerWriter writer;

    LedgerProjector(LedgerWriter writer) {
        this.writer = writer;
    }

    @EventHandler
    void on(DonationReceivedEvent event, EventMessage<?> message) {
        batch().addAll(LedgerEntryMapper.donationReceived(event, message.getIdentifier(), message.getTimestamp()));
    }

    @EventHandler
    void on(DonationRefundedEvent event, EventMessage<?> message) {
        batch().addAll(LedgerEntryMapper.donationRefunded(event, message.getIdentifier(), message.getTimestamp()));
    }

    @EventHandler
    void on(ExpenseRecordedEvent event, EventMessage<?> message) {
        batch().addAll(LedgerEntryMapper.expense(event, message.getIdentifier(), message.getTimestamp()));
    }

    @EventHandler
    void on(FundsTransferredOutEvent event, EventMessage<?> message) {
        batch().addAll(LedgerEntryMapper.transferredOut(event, message.getIdentifier(), message.getTimestamp()));
    }

    @EventHandler
    void on(FundsTransferredInEvent event, EventMessage<?> message) {
        batch().addAll(LedgerEntryMapper.transferredIn(event, message.getIdentifier(), message.getTimestamp()));
    }

    @EventHandler
    void on(CorrectionRecordedEvent event, EventMessage<?> message) {
        batch().addAll(LedgerEntryMapper.correction(event, message.getIdentifier(), message.getTimestamp()));
    }

    private List<EntryDraft> batch() {
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get().root();
        return unitOfWork.getOrComputeResource(BATCH, key -> {
            List<EntryDraft> drafts = new ArrayList<>();
            unitOfWork.onPrepareCommit(u -> writer.append(drafts));
            return drafts;
        });
    }
}
