package io.amply.query.ledger;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.amply.events.Visibility;
import io.amply.events.donation.DonationReceivedEvent;
import io.amply.events.donation.DonationRefundReversedEvent;
import io.amply.events.donation.DonationRefundedEvent;
import io.amply.events.fund.CorrectionRecordedEvent;
import io.amply.events.fund.ExpenseRecordedEvent;
import io.amply.events.fund.FundsTransferredInEvent;
import io.amply.events.fund.FundsTransferredOutEvent;
import io.amply.ledger.hash.LedgerTime;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which ledger entries a money event makes (docs/ledger.md lists the types, signs and metadata).
 * Pure: everything comes from the event, so a replay makes the same entries. Metadata carries
 * references only, never personal data. A {@code delayed_public} entry's metadata also carries
 * {@code public_after}, the event's moment of publication, which {@link PublicView} compares with
 * the time of reading: the entry is revealed without ever being rewritten. Free text (a reason, a memo, a
 * recipient's reference) is an erasable note since 2026-11-29, named by {@code note_id}; older events' text
 * stays as they hashed it.
 */
final class LedgerEntryMapper {

    /** Every entry type the methods below write (docs/ledger.md), in order: list a new one here too. */
    static final Set<String> TYPES = Collections.unmodifiableSet(new LinkedHashSet<>(List.of("donation_received", "fee",
            "donation_refunded", "refund_reversed", "expense", "transfer_out", "transfer_in", "fund_transfer_out", "fund_transfer_in",
            "reversal", "adjustment")));

    private LedgerEntryMapper() {
    }

    /** The entries any event makes; none for events that move no money. */
    static List<EntryDraft> draftsFor(Object payload, String eventId, Instant timestamp) {
        if (payload instanceof DonationReceivedEvent e) {
            return donationReceived(e, eventId, timestamp);
        } else if (payload instanceof DonationRefundedEvent e) {
            return donationRefunded(e, eventId, timestamp);
        } else if (payload instanceof DonationRefundReversedEvent e) {
            return refundReversed(e, eventId, timestamp);
        } else if (payload instanceof ExpenseRecordedEvent e) {
            return expense(e, eventId, timestamp);
        } else if (payload instanceof FundsTransferredOutEvent e) {
            return transferredOut(e, eventId, timestamp);
        } else if (payload instanceof FundsTransferredInEvent e) {
            return transferredIn(e, eventId, timestamp);
        } else if (payload instanceof CorrectionRecordedEvent e) {
            return correction(e, eventId, timestamp);
        }
        return List.of();
    }

    /**
     * {@code donation_received} (+ gross) and, when the provider kept one, {@code fee} (− fee).
     * {@code campaign_id} and {@code business_id} (a business's gift or match) only when present,
     * so entries of donations without them hash as they always did.
     */
    static List<EntryDraft> donationReceived(DonationReceivedEvent event, String eventId, Instant timestamp) {
        String createdAt = LedgerTime.format(timestamp);
        String visibility = event.visibility().name();
        List<EntryDraft> drafts = new ArrayList<>(2);

        ObjectNode received = metadata();
        received.put("donation_id", event.donationId());
        received.put("fund_id", event.fundId());
        putIfPresent(received, "campaign_id", event.campaignId());
        putIfPresent(received, "business_id", event.businessId());
        received.put("payment_method", event.paymentMethod());
        putPublicAfter(received, visibility, event.publicAfter());
        String receivedId = LedgerEntryIds.of(eventId, 0);
        drafts.add(new EntryDraft(receivedId, event.organisationId(), "donation_received", event.amount(),
                event.currency(), visibility, received, createdAt, eventId, 0, null));

        if (event.feeAmount() > 0) {
            ObjectNode fee = metadata();
            fee.put("donation_id", event.donationId());
            fee.put("fund_id", event.fundId());
            fee.put("charged_by", event.feeChargedBy() == null ? "unknown" : event.feeChargedBy());
            fee.put("original_entry_id", receivedId);
            putPublicAfter(fee, visibility, event.publicAfter());
            drafts.add(new EntryDraft(LedgerEntryIds.of(eventId, 1), event.organisationId(), "fee",
                    -event.feeAmount(), event.currency(), visibility, fee, createdAt, eventId, 1, null));
        }
        return drafts;
    }

    /**
     * {@code donation_refunded} (− refund). Its {@code original_entry_id} (the donation's
     * {@code donation_received} entry) is filled in by the writer, which can look it up.
     */
    static List<EntryDraft> donationRefunded(DonationRefundedEvent event, String eventId, Instant timestamp) {
        ObjectNode metadata = metadata();
        metadata.put("donation_id", event.donationId());
        metadata.put("fund_id", event.fundId());
        metadata.put("refund_id", event.refundId());
        putReason(metadata, event.reason(), event.noteId());
        putPublicAfter(metadata, event.visibility().name(), event.publicAfter());
        return List.of(new EntryDraft(LedgerEntryIds.of(eventId, 0), event.organisationId(), "donation_refunded",
                -event.amount(), event.currency(), event.visibility().name(), metadata, LedgerTime.format(timestamp),
                eventId, 0, event.donationId()));
    }

    /**
     * {@code refund_reversed} (+ what came back): refunds of the donation that failed after they were booked. Its
     * {@code reason} is the provider's failure code; {@code original_entry_id} is the donation's {@code donation_received}
     * entry, as on its refunds.
     */
    static List<EntryDraft> refundReversed(DonationRefundReversedEvent event, String eventId, Instant timestamp) {
        ObjectNode metadata = metadata();
        metadata.put("donation_id", event.donationId());
        metadata.put("fund_id", event.fundId());
        metadata.put("reversal_id", event.reversalId());
        metadata.put("reason", event.reason());
        putPublicAfter(metadata, event.visibility().name(), event.publicAfter());
        return List.of(new EntryDraft(LedgerEntryIds.of(eventId, 0), event.organisationId(), "refund_reversed",
                event.amount(), event.currency(), event.visibility().name(), metadata, LedgerTime.format(timestamp),
                eventId, 0, event.donationId()));
    }

    /** {@code expense} (− amount). */
    static List<EntryDraft> expense(ExpenseRecordedEvent event, String eventId, Instant timestamp) {
        ObjectNode metadata = metadata();
        metadata.put("expense_id", event.expenseId());
        metadata.put("fund_id", event.fundId());
        putIfPresent(metadata, "project_id", event.projectId());
        metadata.put("category", event.category());
        metadata.put("recipient_type", event.recipientType());
        putIfPresent(metadata, "recipient_reference", event.recipientReference());
        putIfPresent(metadata, "note_id", event.noteId());
        putPublicAfter(metadata, event.visibility().name(), event.publicAfter());
        return List.of(new EntryDraft(LedgerEntryIds.of(eventId, 0), event.organisationId(), "expense",
                -event.amount(), event.currency(), event.visibility().name(), metadata, LedgerTime.format(timestamp),
                eventId, 0, null));
    }

    /** {@code transfer_out} to another organisation, {@code fund_transfer_out} between own funds (− amount). */
    static List<EntryDraft> transferredOut(FundsTransferredOutEvent event, String eventId, Instant timestamp) {
        boolean internal = event.organisationId().equals(event.toOrganisationId());
        ObjectNode metadata = metadata();
        metadata.put("transfer_id", event.transferId());
        metadata.put("fund_id", event.fundId());
        metadata.put("counterparty_organisation_id", event.toOrganisationId());
        metadata.put("counterparty_fund_id", event.toFundId());
        putIfPresent(metadata, "memo", event.memo());
        putIfPresent(metadata, "note_id", event.noteId());
        putPublicAfter(metadata, event.visibility().name(), event.publicAfter());
        return List.of(new EntryDraft(LedgerEntryIds.of(eventId, 0), event.organisationId(),
                internal ? "fund_transfer_out" : "transfer_out", -event.amount(), event.currency(),
                event.visibility().name(), metadata, LedgerTime.format(timestamp), eventId, 0, null));
    }

    /** {@code transfer_in} from another organisation, {@code fund_transfer_in} between own funds (+ amount). */
    static List<EntryDraft> transferredIn(FundsTransferredInEvent event, String eventId, Instant timestamp) {
        boolean internal = event.organisationId().equals(event.fromOrganisationId());
        ObjectNode metadata = metadata();
        metadata.put("transfer_id", event.transferId());
        metadata.put("fund_id", event.fundId());
        metadata.put("counterparty_organisation_id", event.fromOrganisationId());
        metadata.put("counterparty_fund_id", event.fromFundId());
        putIfPresent(metadata, "memo", event.memo());
        putIfPresent(metadata, "note_id", event.noteId());
        putPublicAfter(metadata, event.visibility().name(), event.publicAfter());
        return List.of(new EntryDraft(LedgerEntryIds.of(eventId, 0), event.organisationId(),
                internal ? "fund_transfer_in" : "transfer_in", event.amount(), event.currency(),
                event.visibility().name(), metadata, LedgerTime.format(timestamp), eventId, 0, null));
    }

    /** {@code reversal} or {@code adjustment} (signed), referencing the entry it corrects. */
    static List<EntryDraft> correction(CorrectionRecordedEvent event, String eventId, Instant timestamp) {
        ObjectNode metadata = metadata();
        metadata.put("correction_id", event.correctionId());
        metadata.put("fund_id", event.fundId());
        metadata.put("corrects_entry_id", event.correctsEntryId());
        // only when it corrects a project's expense, so entries of earlier corrections hash as they always did
        putIfPresent(metadata, "project_id", event.projectId());
        putReason(metadata, event.reason(), event.noteId());
        putPublicAfter(metadata, event.visibility().name(), event.publicAfter());
        return List.of(new EntryDraft(LedgerEntryIds.of(eventId, 0), event.organisationId(), event.kind(),
                event.amount(), event.currency(), event.visibility().name(), metadata, LedgerTime.format(timestamp),
                eventId, 0, null));
    }

    private static ObjectNode metadata() {
        return JsonNodeFactory.instance.objectNode();
    }

    /**
     * {@code public_after} (ledger-hash-v1 §5) on a {@code delayed_public} entry whose event names the
     * moment; absent otherwise, so entries of events recorded before the field existed hash as they
     * always did (such an entry stays withheld).
     */
    private static void putPublicAfter(ObjectNode metadata, String visibility, Instant publicAfter) {
        if (publicAfter != null && Visibility.delayed_public.name().equals(visibility)) {
            metadata.put("public_after", LedgerTime.format(publicAfter));
        }
    }

    /**
     * A refund's or a correction's reason: since 2026-11-29 the organisation's words are a note, named by
     * {@code note_id}, which can be erased; an event recorded before names its {@code reason} (always,
     * even null), and so does a refund Stripe reported (its reason code), so their entries hash as they
     * always did.
     */
    private static void putReason(ObjectNode metadata, String reason, String noteId) {
        if (noteId != null) {
            metadata.put("note_id", noteId);
        } else {
            metadata.put("reason", reason);
        }
    }

    private static void putIfPresent(ObjectNode metadata, String key, String value) {
        if (value != null) {
            metadata.put(key, value);
        }
    }
}
