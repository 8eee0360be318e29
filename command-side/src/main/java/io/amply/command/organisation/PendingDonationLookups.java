package io.amply.command.organisation;

import io.amply.command.lookup.DonorIdentities;
import io.amply.command.lookup.OrganisationContext;
import io.amply.events.donation.DonationInitiatedEvent;
import io.amply.events.donation.DonationReceivedEvent;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The donations' lookup rows of one batch of events, written when the batch has been handled (in
 * its unit of work's prepare-commit, inside the command's transaction, before the command returns).
 * A donation initiated and received in the same batch — every donation recorded with its payment,
 * the API's busiest write — is inserted once, completed, instead of inserted and then updated: the
 * update wrote a second version of the row and three index entries. A batch's donations of one
 * organisation go to PostgreSQL as one JDBC batch (one round trip).
 * <p>
 * Anything else that touches a donation's row in the same batch ({@link #flush()}) writes the queue
 * first. Outside a unit of work a row is written at once. The batch's unit of work is the subscribing
 * processor's, nested in the command's: it commits, writing these rows, while the command's unit of
 * work is still running the event bus's prepare-commit step, so before any later step of the command
 * and before later rounds of events (a matching donation's). A donor's name and e-mail, which no
 * event carries, are inserted with the row when the request left them in the unit of work
 * ({@link DonorIdentities}).
 */
final class PendingDonationLookups {

    /**
     * Received in the same batch: completed, with the fee and the payment reference. A row that is
     * already there (never, for a subscribing handler's first delivery) is completed as the separate
     * update would have completed it, and a pending one left alone, as the separate insert left it.
     */
    private static final String INSERT = """
            WITH donation AS (
                INSERT INTO donations (id, organisation_id, fund_id, campaign_id, business_id, amount, currency, status,
                                       fee_amount, payment_reference, visibility, donor_covers_fees, created_at, updated_at,
                                       donor_name, donor_email)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, fee_amount = EXCLUDED.fee_amount,
                                               payment_reference = EXCLUDED.payment_reference, updated_at = EXCLUDED.updated_at
                 WHERE EXCLUDED.status = 'completed')
            INSERT INTO resource_owners (id, organisation_id) VALUES (?, ?) ON CONFLICT (id) DO NOTHING""";

    /** One donation's row as the batch's events left it. */
    private static final class Row {
        private final DonationInitiatedEvent initiated;
        private final Timestamp createdAt;
        /** Never from the event: the request's, when it runs in this unit of work ({@link DonorIdentities}). */
        private final DonorIdentities.Donor donor;
        private String status = "pending";
        private long feeAmount;
        private String paymentReference;
        private Timestamp updatedAt;

        private Row(DonationInitiatedEvent initiated, Instant at) {
            this.initiated = initiated;
            this.createdAt = Timestamp.from(at);
            this.updatedAt = createdAt;
            this.donor = DonorIdentities.take(initiated.donationId());
        }

        private Object[] args() {
            return new Object[] {initiated.donationId(), initiated.organisationId(), initiated.fundId(), initiated.campaignId(),
                    initiated.businessId(), initiated.amount(), initiated.currency(), status, feeAmount, paymentReference,
                    initiated.visibility().name(), initiated.donorCoversFees(), createdAt, updatedAt,
                    donor == null ? null : donor.name(), donor == null ? null : donor.email(),
                    initiated.donationId(), initiated.organisationId()};
        }
    }

    private final JdbcTemplate jdbc;
    private final OrganisationContext context;
    private final String resource = PendingDonationLookups.class.getName() + "@" + Integer.toHexString(System.identityHashCode(this));

    PendingDonationLookups(JdbcTemplate jdbc, OrganisationContext context) {
        this.jdbc = jdbc;
        this.context = context;
    }

    void initiated(DonationInitiatedEvent event, Instant at) {
        Row row = new Row(event, at);
        if (!CurrentUnitOfWork.isStarted()) {
            write(List.of(row));
            return;
        }
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get();
        unitOfWork.getOrComputeResource(resource, key -> {
            Map<String, Row> rows = new LinkedHashMap<>();
            unitOfWork.onPrepareCommit(u -> write(rows));
            return rows;
        }).put(event.donationId(), row);
    }

    /** Completes the donation if its row waits in this batch; false if its row is in the table already. */
    boolean received(DonationReceivedEvent event, Instant at) {
        Row row = queued().get(event.donationId());
        if (row == null) {
            return false;
        }
        row.status = "completed";
        row.feeAmount = event.feeAmount();
        row.paymentReference = event.paymentReference();
        row.updatedAt = Timestamp.from(at);
        return true;
    }

    /** Writes the rows waiting in this batch, for a handler about to change a donation's row otherwise. */
    void flush() {
        write(queued());
    }

    private Map<String, Row> queued() {
        if (!CurrentUnitOfWork.isStarted()) {
            return Map.of();
        }
        Map<String, Row> rows = CurrentUnitOfWork.get().getResource(resource);
        return rows == null ? Map.of() : rows;
    }

    private void write(Map<String, Row> rows) {
        if (rows.isEmpty()) {
            return;
        }
        List<Row> written = new ArrayList<>(rows.values());
        rows.clear();
        write(written);
    }

    private void write(List<Row> rows) {
        // organisation by organisation, in the order they came: the row-level-security setting changes once each
        Map<String, List<Object[]>> byOrganisation = new LinkedHashMap<>();
        for (Row row : rows) {
            byOrganisation.computeIfAbsent(row.initiated.organisationId(), o -> new ArrayList<>()).add(row.args());
        }
        byOrganisation.forEach((organisationId, args) -> {
            context.enter(organisationId);
            if (args.size() == 1) {
                jdbc.update(INSERT, args.get(0));
            } else {
                jdbc.batchUpdate(INSERT, args);
            }
        });
        // (a row already there keeps its donor columns: never the case for a donation initiated in this batch)
        rows.stream().filter(row -> row.donor != null).forEach(row -> row.donor.stored());
    }
}
