package io.amply.query.ledger;

import io.amply.events.donation.DonationReceivedEvent;
import io.amply.events.donation.DonationRefundedEvent;
import io.amply.events.fund.CorrectionRecordedEvent;
import io.amply.events.fund.ExpenseRecordedEvent;
import io.amply.events.fund.FundsTransferredInEvent;
import io.amply.events.fund.FundsTransferredOutEvent;
import io.amply.events.organisation.LedgerCheckpointRequestedEvent;
import io.amply.query.checkpoint.Checkpoints;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns money events into hash-chained ledger entries (docs/ledger.md). Events are sequenced
 * by organisation (see query-side.yml), so one thread at a time extends a chain; a batch of
 * events is collected in memory and appended when the batch's transaction is about to commit,
 * in one INSERT per organisation, together with the processor's token. A checkpoint request
 * takes its place in that order: it signs the head as of the events before it.
 */
@Component
@ProcessingGroup(LedgerProjector.GROUP)
class LedgerProjector {

    static final String GROUP = "ledger";
    private static final String BATCH = LedgerProjector.class.getName() + ".batch";

    private record CheckpointRequest(String organisationId, Instant at) {
    }

    private final LedgerWriter writer;
    private final Checkpoints checkpoints;

    LedgerProjector(LedgerWriter writer, Checkpoints checkpoints) {
        this.writer = writer;
        this.checkpoints = checkpoints;
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

    @EventHandler
    void on(LedgerCheckpointRequestedEvent event, EventMessage<?> message) {
        batch().add(new CheckpointRequest(event.organisationId(), message.getTimestamp()));
    }

    /** The batch's entries and checkpoint requests, in event order; written just before it commits. */
    private List<Object> batch() {
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get().root();
        return unitOfWork.getOrComputeResource(BATCH, key -> {
            List<Object> steps = new ArrayList<>();
            unitOfWork.onPrepareCommit(u -> write(steps));
            return steps;
        });
    }

    private void write(List<Object> steps) {
        List<EntryDraft> drafts = new ArrayList<>();
        for (Object step : steps) {
            if (step instanceof EntryDraft draft) {
                drafts.add(draft);
            } else if (step instanceof CheckpointRequest request) {
                writer.append(drafts);
                drafts.clear();
                checkpoints.checkpoint(request.organisationId(), request.at());
            }
        }
        writer.append(drafts);
    }
}
