package io.amply.query.ledger;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.amply.events.donation.DonationReceivedEvent;
import io.amply.ledger.hash.LedgerTime;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Which ledger entries a money event makes (docs/ledger.md lists the types, signs and metadata).
 * Metadata carries references only, never personal data.
 */
final class LedgerEntryMapper {

    private LedgerEntryMapper() {
    }

    /** {@code donation_received} (+ gross) and, when the provider kept one, {@code fee} (− fee). */
    static List<EntryDraft> donationReceived(DonationReceivedEvent event, String eventId, Instant timestamp) {
        String createdAt = LedgerTime.format(timestamp);
        String visibility = event.visibility().name();
        List<EntryDraft> drafts = new ArrayList<>(2);

        ObjectNode received = JsonNodeFactory.instance.objectNode();
        received.put("donation_id", event.donationId());
        received.put("fund_id", event.fundId());
        if (event.campaignId() != null) {
            received.put("campaign_id", event.campaignId());
        }
        received.put("payment_method", event.paymentMethod());
        String receivedId = LedgerEntryIds.of(eventId, 0);
        drafts.add(new EntryDraft(receivedId, event.organisationId(), "donation_received", event.amount(),
                event.currency(), visibility, received, createdAt, eventId, 0));

        if (event.feeAmount() > 0) {
            ObjectNode fee = JsonNodeFactory.instance.objectNode();
            fee.put("donation_id", event.donationId());
            fee.put("fund_id", event.fundId());
            fee.put("charged_by", event.feeChargedBy() == null ? "unknown" : event.feeChargedBy());
            fee.put("original_entry_id", receivedId);
            drafts.add(new EntryDraft(LedgerEntryIds.of(eventId, 1), event.organisationId(), "fee",
                    -event.feeAmount(), event.currency(), visibility, fee, createdAt, eventId, 1));
        }
        return drafts;
    }
}
