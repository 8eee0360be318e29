package io.amply.query.ledger;

import io.amply.db.TenantContext;
import io.amply.events.donation.DonationReceivedEvent;
import io.amply.events.donation.DonationRefundReversedEvent;
import io.amply.events.donation.DonationRefundedEvent;
import io.amply.events.fund.CorrectionRecordedEvent;
import io.amply.events.fund.ExpenseRecordedEvent;
import io.amply.events.fund.FundsTransferredInEvent;
import io.amply.events.fund.FundsTransferredOutEvent;
import io.amply.events.organisation.LedgerCheckpointRequestedEvent;
import io.amply.ledger.hash.LedgerTime;
import io.amply.query.DelayTimers;
import io.amply.query.checkpoint.Checkpoints;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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
    private final JdbcTemplate jdbc;
    /** Organisations seen in the database once; they are never removed. */
    private final Set<String> knownOrganisations = ConcurrentHashMap.newKeySet();

    /** From a money event to its entries written (at the batch's commit): how far behind the ledger is, in time. */
    private final Timer appendDelay;

    LedgerProjector(LedgerWriter writer, Checkpoints checkpoints, JdbcTemplate jdbc, MeterRegistry meters) {
        this.writer = writer;
        this.checkpoints = checkpoints;
        this.jdbc = jdbc;
        this.appendDelay = DelayTimers.delay("amply.ledger.append.delay", "From a money event's time to its ledger entries being written")
                .register(meters);
    }

    @EventHandler
    void on(DonationReceivedEvent event, EventMessage<?> message) {
        requireOrganisation(event.organisationId());
        batch().addAll(LedgerEntryMapper.donationReceived(event, message.getIdentifier(), message.getTimestamp()));
    }

    @EventHandler
    void on(DonationRefundedEvent event, EventMessage<?> message) {
        requireOrganisation(event.organisationId());
        requireReceivedEntry(event.organisationId(), event.donationId());
        batch().addAll(LedgerEntryMapper.donationRefunded(event, message.getIdentifier(), message.getTimestamp()));
    }

    @EventHandler
    void on(DonationRefundReversedEvent event, EventMessage<?> message) {
        requireOrganisation(event.organisationId());
        requireReceivedEntry(event.organisationId(), event.donationId());
        batch().addAll(LedgerEntryMapper.refundReversed(event, message.getIdentifier(), message.getTimestamp()));
    }

    @EventHandler
    void on(ExpenseRecordedEvent event, EventMessage<?> message) {
        requireOrganisation(event.organisationId());
        batch().addAll(LedgerEntryMapper.expense(event, message.getIdentifier(), message.getTimestamp()));
    }

    @EventHandler
    void on(FundsTransferredOutEvent event, EventMessage<?> message) {
        requireOrganisation(event.organisationId());
        batch().addAll(LedgerEntryMapper.transferredOut(event, message.getIdentifier(), message.getTimestamp()));
    }

    @EventHandler
    void on(FundsTransferredInEvent event, EventMessage<?> message) {
        requireOrganisation(event.organisationId());
        batch().addAll(LedgerEntryMapper.transferredIn(event, message.getIdentifier(), message.getTimestamp()));
    }

    @EventHandler
    void on(CorrectionRecordedEvent event, EventMessage<?> message) {
        requireOrganisation(event.organisationId());
        batch().addAll(LedgerEntryMapper.correction(event, message.getIdentifier(), message.getTimestamp()));
    }

    @EventHandler
    void on(LedgerCheckpointRequestedEvent event, EventMessage<?> message) {
        requireOrganisation(event.organisationId());
        batch().add(new CheckpointRequest(event.organisationId(), message.getTimestamp()));
    }

    /*
     * What would make the batch's write fail is checked here, while the event is handled: a failure
     * here parks this event, and every later event of its organisation, in the dead-letter queue
     * (the chain waits, it neither forks nor skips), while other organisations' events go on. The
     * same failure at write time would fail, and retry, the whole batch of every organisation.
     */

    private void requireOrganisation(String organisationId) {
        if (knownOrganisations.contains(organisationId)) {
            return;
        }
        jdbc.query(TenantContext.SET_ORGANISATION, rs -> null, organisationId);
        if (!Boolean.TRUE.equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM organisations WHERE id = ?)", Boolean.class,
                organisationId))) {
            throw new IllegalStateException("organisation " + organisationId + " is unknown here: its ledger entries cannot be written");
        }
        knownOrganisations.add(organisationId);
    }

    private void requireReceivedEntry(String organisationId, String donationId) {
        for (Object step : batch()) {
            if (step instanceof EntryDraft draft && draft.type().equals("donation_received")
                    && donationId.equals(draft.metadata().path("donation_id").asText())) {
                return;
            }
        }
        jdbc.query(TenantContext.SET_ORGANISATION, rs -> null, organisationId);
        if (!Boolean.TRUE.equals(jdbc.queryForObject("""
                SELECT EXISTS (SELECT 1 FROM ledger_entries
                                WHERE organisation_id = ? AND type = 'donation_received' AND metadata ->> 'donation_id' = ?)""",
                Boolean.class, organisationId, donationId))) {
            throw new IllegalStateException("refund (or refund booked back) of donation " + donationId
                    + " whose donation_received entry is not in the ledger");
        }
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
        Instant now = Instant.now();
        for (Object step : steps) {
            if (step instanceof EntryDraft draft && draft.sourceIndex() == 0) { // once per event
                appendDelay.record(Duration.between(LedgerTime.parse(draft.createdAt()), now));
            }
        }
    }
}
