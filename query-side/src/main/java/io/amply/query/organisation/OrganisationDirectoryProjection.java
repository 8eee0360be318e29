package io.amply.query.organisation;

import io.amply.events.Visibility;
import io.amply.events.donation.DonationReceivedEvent;
import io.amply.events.donation.DonationRefundReversedEvent;
import io.amply.events.donation.DonationRefundedEvent;
import io.amply.events.fund.CorrectionRecordedEvent;
import io.amply.events.fund.ExpenseRecordedEvent;
import io.amply.events.fund.FundsTransferredOutEvent;
import io.amply.events.organisation.OrganisationCreatedEvent;
import io.amply.events.organisation.OrganisationProfileUpdatedEvent;
import io.amply.events.organisation.OrganisationReinstatedEvent;
import io.amply.events.organisation.OrganisationSuspendedEvent;
import io.amply.events.organisation.OrganisationVerifiedEvent;
import io.amply.query.readmodel.RebuildableProjection;
import io.amply.query.readmodel.Target;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.springframework.beans.factory.annotation.Autowired;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The public directory of organisations and their money totals per currency (received, donations,
 * refunds, fees, and spending by the visibility of its entries). Public by design: profiles and
 * sums, never an entry. Totals are counters, so each event is also recorded in
 * organisation_totals_applied in the same transaction, and only an event not recorded there yet is
 * counted: a redelivered event adds nothing.
 */
@Component
@ProcessingGroup(OrganisationDirectoryProjection.GROUP)
class OrganisationDirectoryProjection implements RebuildableProjection {

    static final String GROUP = "organisation-directory";

    private final JdbcTemplate jdbc;
    private final Target target;
    private final String resource = OrganisationDirectoryProjection.class.getName() + "@" + Integer.toHexString(System.identityHashCode(this));
    private final String profiles;
    private final String totals;
    private final String applied;

    @Autowired
    OrganisationDirectoryProjection(JdbcTemplate jdbc) {
        this(jdbc, Target.LIVE);
    }

    private OrganisationDirectoryProjection(JdbcTemplate jdbc, Target target) {
        this.jdbc = jdbc;
        this.target = target;
        this.profiles = target.table("organisation_profiles");
        this.totals = target.table("organisation_totals");
        this.applied = target.table("organisation_totals_applied");
    }

    @Override
    public String processingGroup() {
        return GROUP;
    }

    @Override
    public List<String> tables() {
        return List.of("organisation_profiles", "organisation_totals", "organisation_totals_applied");
    }

    @Override
    public Object writingTo(Target target, JdbcTemplate jdbc) {
        return new OrganisationDirectoryProjection(jdbc, target);
    }

    @EventHandler
    void on(OrganisationCreatedEvent event, EventMessage<?> message) {
        Timestamp at = Timestamp.from(message.getTimestamp());
        jdbc.update("""
                INSERT INTO %s (organisation_id, name, country, status, verification_level, default_visibility,
                                accepts_fundraisers, created_at, updated_at)
                VALUES (?, ?, ?, 'pending', 'none', ?, ?, ?, ?) ON CONFLICT (organisation_id) DO NOTHING""".formatted(profiles),
                event.organisationId(), event.name(), event.country(), event.defaultVisibility().name(),
                event.acceptsFundraisers(), at, at);
    }

    @EventHandler
    void on(OrganisationProfileUpdatedEvent event, EventMessage<?> message) {
        jdbc.update("UPDATE " + profiles + " SET name = ?, country = ?, default_visibility = ?, accepts_fundraisers = ?, updated_at = ?"
                        + " WHERE organisation_id = ?",
                event.name(), event.country(), event.defaultVisibility().name(), event.acceptsFundraisers(),
                Timestamp.from(message.getTimestamp()), event.organisationId());
    }

    @EventHandler
    void on(OrganisationVerifiedEvent event, EventMessage<?> message) {
        jdbc.update("UPDATE " + profiles + " SET status = 'verified', verification_level = ?, updated_at = ? WHERE organisation_id = ?",
                event.level(), Timestamp.from(message.getTimestamp()), event.organisationId());
    }

    @EventHandler
    void on(OrganisationSuspendedEvent event, EventMessage<?> message) {
        status(event.organisationId(), "suspended", message);
    }

    @EventHandler
    void on(OrganisationReinstatedEvent event, EventMessage<?> message) {
        status(event.organisationId(), event.status(), message);
    }

    @EventHandler
    void on(DonationReceivedEvent event, EventMessage<?> message) {
        count(message, new TotalsChange(event.organisationId(), event.currency(), event.amount(), 1, event.feeAmount(), 0, null, 0));
    }

    @EventHandler
    void on(DonationRefundedEvent event, EventMessage<?> message) {
        count(message, new TotalsChange(event.organisationId(), event.currency(), 0, 0, 0, event.amount(), null, 0));
    }

    /** A refund that failed is no longer refunded. */
    @EventHandler
    void on(DonationRefundReversedEvent event, EventMessage<?> message) {
        count(message, new TotalsChange(event.organisationId(), event.currency(), 0, 0, 0, -event.amount(), null, 0));
    }

    @EventHandler
    void on(ExpenseRecordedEvent event, EventMessage<?> message) {
        count(message, new TotalsChange(event.organisationId(), event.currency(), 0, 0, 0, 0, event.visibility(), event.amount()));
    }

    /** Money sent to another organisation is spending; a move between two funds of one organisation is not. */
    @EventHandler
    void on(FundsTransferredOutEvent event, EventMessage<?> message) {
        if (!event.organisationId().equals(event.toOrganisationId())) {
            count(message, new TotalsChange(event.organisationId(), event.currency(), 0, 0, 0, 0, event.visibility(), event.amount()));
        }
    }

    /**
     * A correction of an expense changes what was spent (shown as the expense: the same visibility),
     * one of a fee what the providers kept. Corrections recorded before they named the entry's type
     * are not counted.
     */
    @EventHandler
    void on(CorrectionRecordedEvent event, EventMessage<?> message) {
        if ("expense".equals(event.correctsEntryType())) {
            count(message, new TotalsChange(event.organisationId(), event.currency(), 0, 0, 0, 0, event.visibility(), -event.amount()));
        } else if ("fee".equals(event.correctsEntryType())) {
            count(message, new TotalsChange(event.organisationId(), event.currency(), 0, 0, -event.amount(), 0, null, 0));
        }
    }

    @ResetHandler
    void reset() {
        jdbc.update("DELETE FROM " + totals);
        jdbc.update("DELETE FROM " + applied);
        jdbc.update("DELETE FROM " + profiles);
    }

    private void status(String organisationId, String status, EventMessage<?> message) {
        jdbc.update("UPDATE " + profiles + " SET status = ?, updated_at = ? WHERE organisation_id = ?",
                status, Timestamp.from(message.getTimestamp()), organisationId);
    }

    /**
     * Counts a money event in its organisation's totals exactly once. A live processor's batch (one
     * unit of work) is counted in one statement when it commits: the batch's event ids go into
     * organisation_totals_applied, and only those that were not there are summed into the totals,
     * one update per organisation and currency. One guarded upsert per event updated the same hot
     * row again and again and was the query side's most expensive statement (docs/benchmarks.md).
     * A rebuild (empty twins, every event once) and a call outside a unit of work count each event
     * as it comes.
     */
    private void count(EventMessage<?> message, TotalsChange change) {
        if (target == Target.LIVE && CurrentUnitOfWork.isStarted()) {
            UnitOfWork<?> root = CurrentUnitOfWork.get().root();
            Map<String, TotalsChange> batch = root.getOrComputeResource(resource, key -> {
                Map<String, TotalsChange> changes = new LinkedHashMap<>();
                root.onPrepareCommit(u -> countOnce(changes));
                return changes;
            });
            batch.putIfAbsent(message.getIdentifier(), change);
        } else if (firstTime(message)) {
            add(change);
        }
    }

    private void countOnce(Map<String, TotalsChange> changes) {
        if (changes.isEmpty()) {
            return;
        }
        int n = changes.size();
        Object[][] columns = new Object[11][n];
        int row = 0;
        for (Map.Entry<String, TotalsChange> entry : changes.entrySet()) {
            TotalsChange change = entry.getValue();
            Object[] values = {entry.getKey(), change.organisationId(), change.currency(), change.received(), change.donations(),
                    change.fees(), change.refunded(), change.spent(Visibility.public_full), change.spent(Visibility.public_aggregated),
                    change.spent(Visibility.delayed_public), change.spent(Visibility.internal_only)};
            for (int c = 0; c < values.length; c++) {
                columns[c][row] = values[c];
            }
            row++;
        }
        try {
            jdbc.execute((ConnectionCallback<Void>) connection -> {
                try (PreparedStatement statement = connection.prepareStatement(COUNT_ONCE.formatted(applied, totals))) {
                    for (int c = 0; c < columns.length; c++) {
                        statement.setArray(c + 1, connection.createArrayOf(c < 3 ? "varchar" : "int8", columns[c]));
                    }
                    statement.executeUpdate();
                }
                return null;
            });
        } catch (RuntimeException e) {
            // the batch is retried whole; say which events, for the processor's last error and the log
            throw new IllegalStateException("counting " + n + " events in the organisation totals failed (events "
                    + columns[0][0] + " … " + columns[0][n - 1] + "): " + e.getMessage(), e);
        }
    }

    /** The totals' columns, and how an upsert adds to the counters of a row that is already there. */
    private static final String TOTALS_COLUMNS = """
            (organisation_id, currency, received_amount, donation_count, fees_amount, refunded_amount,
             spent_public_full, spent_public_aggregated, spent_delayed_public, spent_internal_only)""";
    private static final String ADD_TO_TOTALS = """
            ON CONFLICT (organisation_id, currency) DO UPDATE SET
                received_amount = t.received_amount + excluded.received_amount,
                donation_count = t.donation_count + excluded.donation_count,
                fees_amount = t.fees_amount + excluded.fees_amount,
                refunded_amount = t.refunded_amount + excluded.refunded_amount,
                spent_public_full = t.spent_public_full + excluded.spent_public_full,
                spent_public_aggregated = t.spent_public_aggregated + excluded.spent_public_aggregated,
                spent_delayed_public = t.spent_delayed_public + excluded.spent_delayed_public,
                spent_internal_only = t.spent_internal_only + excluded.spent_internal_only""";

    private static final String COUNT_ONCE = """
            WITH batch AS (
                SELECT * FROM unnest(?::varchar[], ?::varchar[], ?::char(3)[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[],
                                     ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[])
                    AS b(source_event_id, organisation_id, currency, received, donations, fees, refunded,
                         spent_public_full, spent_public_aggregated, spent_delayed_public, spent_internal_only)),
            fresh AS (
                INSERT INTO %s (source_event_id) SELECT source_event_id FROM batch
                ON CONFLICT DO NOTHING RETURNING source_event_id)
            INSERT INTO %s AS t """ + TOTALS_COLUMNS + """
            SELECT organisation_id, currency, sum(received), sum(donations)::bigint, sum(fees),
                   sum(refunded), sum(spent_public_full), sum(spent_public_aggregated),
                   sum(spent_delayed_public), sum(spent_internal_only)
            FROM batch JOIN fresh USING (source_event_id)
            GROUP BY organisation_id, currency ORDER BY organisation_id, currency
            """ + ADD_TO_TOTALS;

    private boolean firstTime(EventMessage<?> message) {
        return jdbc.update("INSERT INTO " + applied + " (source_event_id) VALUES (?) ON CONFLICT DO NOTHING", message.getIdentifier()) == 1;
    }

    private void add(TotalsChange change) {
        jdbc.update("INSERT INTO " + totals + " AS t " + TOTALS_COLUMNS + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) " + ADD_TO_TOTALS,
                change.organisationId(), change.currency(), change.received(), change.donations(), change.fees(), change.refunded(),
                change.spent(Visibility.public_full), change.spent(Visibility.public_aggregated),
                change.spent(Visibility.delayed_public), change.spent(Visibility.internal_only));
    }

    /** What one event adds to its organisation's totals in its currency; spending by the visibility of its entry. */
    private record TotalsChange(String organisationId, String currency, long received, long donations, long fees, long refunded,
                                Visibility spentVisibility, long spentAmount) {

        long spent(Visibility visibility) {
            Visibility of = spentVisibility == null ? Visibility.public_full : spentVisibility;
            return of == visibility ? spentAmount : 0;
        }
    }
}
