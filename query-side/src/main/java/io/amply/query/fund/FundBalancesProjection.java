package io.amply.query.fund;

import io.amply.db.TenantContext;
import io.amply.events.donation.DonationReceivedEvent;
import io.amply.events.donation.DonationRefundReversedEvent;
import io.amply.events.donation.DonationRefundedEvent;
import io.amply.events.fund.CorrectionRecordedEvent;
import io.amply.events.fund.ExpenseRecordedEvent;
import io.amply.events.fund.FundsTransferredInEvent;
import io.amply.events.fund.FundsTransferredOutEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import io.amply.query.readmodel.BatchingJdbc;
import io.amply.query.readmodel.RebuildableProjection;
import io.amply.query.readmodel.Target;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.util.List;

/**
 * The funds read model: one row per movement of money in or out of a fund (fund_movements), so
 * that a balance is a sum, a redelivered event changes nothing (its rows exist), and every fund
 * reconciles with the ledger entries that name it. Its own processing group, rebuildable by a
 * token reset (see docs/status.md for what of issue 5 is built).
 */
@Component
@ProcessingGroup(FundBalancesProjection.GROUP)
class FundBalancesProjection implements RebuildableProjection {

    static final String GROUP = "fund-balances";

    private final JdbcTemplate jdbc;
    private final String movements;

    @Autowired
    FundBalancesProjection(JdbcTemplate jdbc) {
        // its handlers only write, and never use a write's row count: batched per unit of work
        this(new BatchingJdbc(jdbc.getDataSource()), Target.LIVE);
    }

    private FundBalancesProjection(JdbcTemplate jdbc, Target target) {
        this.jdbc = jdbc;
        this.movements = target.table("fund_movements");
    }

    @Override
    public String processingGroup() {
        return GROUP;
    }

    @Override
    public List<String> tables() {
        return List.of("fund_movements");
    }

    @Override
    public Object writingTo(Target target, JdbcTemplate jdbc) {
        return new FundBalancesProjection(jdbc, target);
    }

    @EventHandler
    void on(DonationReceivedEvent event, EventMessage<?> message) {
        move(message, 0, event.organisationId(), event.fundId(), event.amount(), event.currency(), "donation_received");
        if (event.feeAmount() > 0) {
            move(message, 1, event.organisationId(), event.fundId(), -event.feeAmount(), event.currency(), "fee");
        }
    }

    @EventHandler
    void on(DonationRefundedEvent event, EventMessage<?> message) {
        move(message, 0, event.organisationId(), event.fundId(), -event.amount(), event.currency(), "donation_refunded");
    }

    @EventHandler
    void on(DonationRefundReversedEvent event, EventMessage<?> message) {
        move(message, 0, event.organisationId(), event.fundId(), event.amount(), event.currency(), "refund_reversed");
    }

    @EventHandler
    void on(ExpenseRecordedEvent event, EventMessage<?> message) {
        move(message, 0, event.organisationId(), event.fundId(), -event.amount(), event.currency(), "expense");
    }

    @EventHandler
    void on(FundsTransferredOutEvent event, EventMessage<?> message) {
        move(message, 0, event.organisationId(), event.fundId(), -event.amount(), event.currency(), "transfer_out");
    }

    @EventHandler
    void on(FundsTransferredInEvent event, EventMessage<?> message) {
        move(message, 0, event.organisationId(), event.fundId(), event.amount(), event.currency(), "transfer_in");
    }

    @EventHandler
    void on(CorrectionRecordedEvent event, EventMessage<?> message) {
        move(message, 0, event.organisationId(), event.fundId(), event.amount(), event.currency(), event.kind());
    }

    @ResetHandler
    void reset() {
        // a rebuild starts from nothing; RLS limits DELETE to one organisation, so go through them all
        for (String organisationId : jdbc.queryForList("SELECT DISTINCT organisation_id FROM resource_owners", String.class)) {
            jdbc.query(TenantContext.SET_ORGANISATION, rs -> null, organisationId);
            jdbc.update("DELETE FROM " + movements + " WHERE organisation_id = ?", organisationId);
        }
    }

    private void move(EventMessage<?> message, int index, String organisationId, String fundId, long amount, String currency,
                      String kind) {
        jdbc.query(TenantContext.SET_ORGANISATION, rs -> null, organisationId);
        jdbc.update("""
                INSERT INTO %s (source_event_id, source_index, organisation_id, fund_id, amount, currency, kind, occurred_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""".formatted(movements),
                message.getIdentifier(), index, organisationId, fundId, amount, currency, kind,
                Timestamp.from(message.getTimestamp()));
    }
}
