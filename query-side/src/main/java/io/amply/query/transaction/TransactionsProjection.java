package io.amply.query.transaction;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.amply.db.TenantContext;
import io.amply.events.donation.DonationFailedEvent;
import io.amply.events.donation.DonationInitiatedEvent;
import io.amply.events.donation.DonationReceivedEvent;
import io.amply.events.donation.DonationRefundReversedEvent;
import io.amply.events.donation.DonationRefundedEvent;
import io.amply.events.fund.CorrectionRecordedEvent;
import io.amply.events.fund.ExpenseRecordedEvent;
import io.amply.events.fund.FundsTransferredInEvent;
import io.amply.events.fund.FundsTransferredOutEvent;
import io.amply.query.DerivedIds;
import io.amply.query.readmodel.BatchingJdbc;
import io.amply.query.readmodel.RebuildableProjection;
import io.amply.query.readmodel.Target;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.util.List;

/**
 * The transactions read model (the seed's {@code transactions} table): one row per money movement
 * an organisation sees in its books. A donation is one row whose status follows it (pending →
 * completed | failed, then partially_refunded | refunded) and keeps its gross amount; its fee and
 * each refund are rows of their own, so the settled rows of a fund (status neither pending nor
 * failed) sum, incoming minus outgoing, to the fund's balance. Amounts are positive; direction
 * says the sign. Row ids are derived from what they record, so a redelivered event or a rebuild
 * writes the same rows again, and every write is guarded so that it changes nothing the second time.
 */
@Component
@ProcessingGroup(TransactionsProjection.GROUP)
class TransactionsProjection implements RebuildableProjection {

    static final String GROUP = "transactions";
    static final String TABLE = "transactions";

    /** Escapes the allocation's values (keys are constants): built by hand, an ObjectMapper showed in a rebuild's profile. */
    private static final JsonStringEncoder QUOTE = JsonStringEncoder.getInstance();

    private final JdbcTemplate jdbc;
    private final String table;
    private final boolean live;

    @Autowired
    TransactionsProjection(JdbcTemplate jdbc) {
        // its handlers only write, and never use a write's row count: batched per unit of work
        this(new BatchingJdbc(jdbc.getDataSource()), Target.LIVE);
    }

    private TransactionsProjection(JdbcTemplate jdbc, Target target) {
        this.jdbc = jdbc;
        this.table = target.table(TABLE);
        this.live = target == Target.LIVE;
    }

    @Override
    public String processingGroup() {
        return GROUP;
    }

    @Override
    public List<String> tables() {
        return List.of(TABLE);
    }

    @Override
    public Object writingTo(Target target, JdbcTemplate jdbc) {
        return new TransactionsProjection(jdbc, target);
    }

    @EventHandler
    void on(DonationInitiatedEvent event, EventMessage<?> message) {
        insert(message, "", donationRow(event.donationId()), event.organisationId(), event.fundId(), "incoming", "donation",
                event.amount(), event.currency(), "pending",
                allocation("fund_id", event.fundId(), "donation_id", event.donationId(), "campaign_id", event.campaignId(),
                        "business_id", event.businessId()));
    }

    @EventHandler
    void on(DonationReceivedEvent event, EventMessage<?> message) {
        in(event.organisationId());
        String type = "matching".equals(event.paymentMethod()) ? "matched_donation" : "donation";
        // Usually the row exists (pending, from DonationInitiatedEvent); then only a pending row (or a failed
        // one: a payment may go through after a failed try) moves to completed, so a redelivery after a refund
        // does not undo the refund's status. The type is set
        // here because only this event knows the payment method (a match is initiated as a plain donation).
        jdbc.update("""
                INSERT INTO %s AS t (id, organisation_id, fund_id, direction, type, amount, currency, status, allocation,
                                     source_event_id, created_at)
                VALUES (?, ?, ?, 'incoming', ?, ?, ?, 'completed', ?::jsonb, ?, ?)
                ON CONFLICT (id) DO UPDATE SET status = 'completed', type = EXCLUDED.type
                 WHERE t.status IN ('pending', 'failed')""".formatted(table),
                donationRow(event.donationId()), event.organisationId(), event.fundId(), type, event.amount(), event.currency(),
                allocation("fund_id", event.fundId(), "donation_id", event.donationId(), "campaign_id", event.campaignId(),
                        "business_id", event.businessId()),
                message.getIdentifier(), Timestamp.from(message.getTimestamp()));
        if (event.feeAmount() > 0) {
            insert(message, "#fee", DerivedIds.of("txn_", event.donationId() + "/fee"), event.organisationId(), event.fundId(),
                    "outgoing", "fee", event.feeAmount(), event.currency(), "completed",
                    allocation("fund_id", event.fundId(), "donation_id", event.donationId(), "campaign_id", event.campaignId(),
                            "fee_charged_by", event.feeChargedBy()));
        }
        // public receipts find a donation's organisation here; the command side registers it too, so usually a
        // no-op, and a rebuild, which writes only its own twins, leaves it to the live processor
        if (live) {
            jdbc.update("INSERT INTO resource_owners (id, organisation_id) VALUES (?, ?) ON CONFLICT (id) DO NOTHING",
                    event.donationId(), event.organisationId());
        }
    }

    @EventHandler
    void on(DonationFailedEvent event) {
        in(event.organisationId());
        jdbc.update("UPDATE " + table + " SET status = 'failed' WHERE id = ? AND status = 'pending'",
                donationRow(event.donationId()));
    }

    @EventHandler
    void on(DonationRefundedEvent event, EventMessage<?> message) {
        refundedTo(event.organisationId(), event.donationId(), event.totalRefunded());
        String refund = event.refundId() != null ? event.refundId() : message.getIdentifier();
        insert(message, "", DerivedIds.of("txn_", refund), event.organisationId(), event.fundId(), "outgoing", "refund",
                event.amount(), event.currency(), "completed",
                allocation("fund_id", event.fundId(), "donation_id", event.donationId(), "refund_id", event.refundId(),
                        "campaign_id", event.campaignId(), "note_id", event.noteId()));
    }

    /** The money of refunds that failed came back. */
    @EventHandler
    void on(DonationRefundReversedEvent event, EventMessage<?> message) {
        refundedTo(event.organisationId(), event.donationId(), event.totalRefunded());
        insert(message, "", DerivedIds.of("txn_", event.reversalId()), event.organisationId(), event.fundId(), "incoming",
                "refund_reversed", event.amount(), event.currency(), "completed",
                allocation("fund_id", event.fundId(), "donation_id", event.donationId(), "reversal_id", event.reversalId(),
                        "campaign_id", event.campaignId(), "reason", event.reason()));
    }

    /**
     * The donation's row follows its running refunded total, which is absolute (events are applied in their
     * organisation's order, a redelivery with those after it): down too, since a refund that failed is booked back
     * (OrganisationLookups.refundedTo, the command side's copy, has the same rule).
     */
    private void refundedTo(String organisationId, String donationId, long totalRefunded) {
        in(organisationId);
        jdbc.update("""
                UPDATE %s SET status = CASE WHEN ? >= amount THEN 'refunded' WHEN ? > 0 THEN 'partially_refunded' ELSE 'completed' END
                 WHERE id = ? AND status IN ('completed', 'partially_refunded', 'refunded')""".formatted(table),
                totalRefunded, totalRefunded, donationRow(donationId));
    }

    @EventHandler
    void on(ExpenseRecordedEvent event, EventMessage<?> message) {
        insert(message, "", DerivedIds.of("txn_", event.expenseId()), event.organisationId(), event.fundId(), "outgoing",
                "expense", event.amount(), event.currency(), "completed",
                allocation("fund_id", event.fundId(), "expense_id", event.expenseId(), "project_id", event.projectId(),
                        "category", event.category(), "recipient_type", event.recipientType(),
                        "recipient_reference", event.recipientReference(), "note_id", event.noteId()));
    }

    @EventHandler
    void on(FundsTransferredOutEvent event, EventMessage<?> message) {
        insert(message, "", DerivedIds.of("txn_", event.transferId() + "/out"), event.organisationId(), event.fundId(),
                "outgoing", "transfer_out", event.amount(), event.currency(), "completed",
                allocation("fund_id", event.fundId(), "transfer_id", event.transferId(),
                        "to_organisation_id", event.toOrganisationId(), "to_fund_id", event.toFundId(),
                        "note_id", event.noteId()));
    }

    @EventHandler
    void on(FundsTransferredInEvent event, EventMessage<?> message) {
        insert(message, "", DerivedIds.of("txn_", event.transferId() + "/in"), event.organisationId(), event.fundId(),
                "incoming", "transfer_in", event.amount(), event.currency(), "completed",
                allocation("fund_id", event.fundId(), "transfer_id", event.transferId(),
                        "from_organisation_id", event.fromOrganisationId(), "from_fund_id", event.fromFundId(),
                        "note_id", event.noteId()));
    }

    @EventHandler
    void on(CorrectionRecordedEvent event, EventMessage<?> message) {
        insert(message, "", DerivedIds.of("txn_", event.correctionId()), event.organisationId(), event.fundId(),
                event.amount() < 0 ? "outgoing" : "incoming", "correction", Math.abs(event.amount()), event.currency(),
                "completed",
                allocation("fund_id", event.fundId(), "correction_id", event.correctionId(), "kind", event.kind(),
                        "corrects_entry_id", event.correctsEntryId(), "note_id", event.noteId()));
    }

    @ResetHandler
    void reset() {
        // a replay starts from nothing; RLS limits DELETE to one organisation, so go through them all
        for (String organisationId : jdbc.queryForList("SELECT DISTINCT organisation_id FROM resource_owners", String.class)) {
            in(organisationId);
            jdbc.update("DELETE FROM " + table + " WHERE organisation_id = ?", organisationId);
        }
    }

    /** The row of a donation itself (its fee and refunds have rows of their own). */
    static String donationRow(String donationId) {
        return DerivedIds.of("txn_", donationId);
    }

    /**
     * Inserts a row unless its id exists. {@code suffix} tells apart the rows one event makes
     * (source_event_id is unique).
     */
    private void insert(EventMessage<?> message, String suffix, String id, String organisationId, String fundId,
                        String direction, String type, long amount, String currency, String status, String allocation) {
        in(organisationId);
        jdbc.update("""
                INSERT INTO %s (id, organisation_id, fund_id, direction, type, amount, currency, status, allocation,
                                source_event_id, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?) ON CONFLICT (id) DO NOTHING""".formatted(table),
                id, organisationId, fundId, direction, type, amount, currency, status, allocation,
                message.getIdentifier() + suffix, Timestamp.from(message.getTimestamp()));
    }

    private void in(String organisationId) {
        jdbc.query(TenantContext.SET_ORGANISATION, rs -> null, organisationId);
    }

    /** A JSON object of the given key/value pairs, leaving out null values. */
    private static String allocation(String... pairs) {
        StringBuilder json = new StringBuilder(160).append('{');
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                json.append(json.length() > 1 ? ",\"" : "\"").append(pairs[i]).append("\":\"");
                json.append(QUOTE.quoteAsString(pairs[i + 1])).append('"');
            }
        }
        return json.append('}').toString();
    }
}
