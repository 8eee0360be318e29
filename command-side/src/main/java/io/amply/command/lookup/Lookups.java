package io.amply.command.lookup;

import io.amply.command.web.ApiException;
import io.amply.command.web.Ids;
import io.amply.events.api.ApiErrorCode;
import io.amply.events.donation.CompleteDonationCommand;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** Reads the command side's lookup tables, each under the organisation's row-level-security context. */
@Component
public class Lookups {

    /** The prefix of the id each path parameter names. */
    private static final Map<String, String> PREFIXES = Map.of("fund_id", "fund_", "donation_id", "don_",
            "campaign_id", "camp_", "project_id", "proj_", "programme_id", "mp_");

    public record OrganisationView(String id, String status, String defaultVisibility) {
    }

    /** A fund; {@code startsOn} / {@code endsOn}: its restriction window, when it takes donations (either may be open). */
    public record FundView(String id, String organisationId, String name, String type, String currency, String status,
                           long balance, LocalDate startsOn, LocalDate endsOn) {

        /** Whether the fund takes new donations on this (UTC) day: within its restriction window, if it has one. */
        public boolean takesDonationsOn(LocalDate day) {
            return (startsOn == null || !day.isBefore(startsOn)) && (endsOn == null || !day.isAfter(endsOn));
        }
    }

    public record DonationView(String id, String organisationId, String fundId, String campaignId, long amount,
                               String currency, String status, long feeAmount, long refundedAmount, String visibility,
                               String paymentReference, String failureReason) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final OrganisationContext context;

    Lookups(JdbcTemplate jdbc, TransactionTemplate transactions, OrganisationContext context) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.context = context;
    }

    /**
     * The organisation a fund, donation, campaign, project or matching programme belongs to;
     * {@code not_found} when there is no such resource of that kind.
     */
    public String ownerOf(String resourceId, String param) {
        return ownerIfAny(resourceId, param).orElseThrow(() -> ApiException.notFound(param, "no such resource: " + resourceId));
    }

    /** {@link #ownerOf}, or empty when there is no such resource of that kind (resources are never deleted). */
    public Optional<String> ownerIfAny(String resourceId, String param) {
        // an id of another kind (a campaign's where a fund's belongs) is no such resource: its
        // aggregate is not the one the command is for
        if (!Ids.looksLike(PREFIXES.getOrDefault(param, "?"), resourceId)) {
            return Optional.empty();
        }
        return jdbc.queryForList("SELECT organisation_id FROM resource_owners WHERE id = ?", String.class, resourceId)
                .stream().findFirst();
    }

    private static final String ORGANISATION = "SELECT id, status, default_visibility FROM organisations WHERE id = ?";
    private static final RowMapper<OrganisationView> ORGANISATION_ROW =
            (rs, n) -> new OrganisationView(rs.getString(1), rs.getString(2), rs.getString(3));

    public OrganisationView organisation(String organisationId) {
        return single(inContext(organisationId, () -> jdbc.query(ORGANISATION, ORGANISATION_ROW, organisationId)),
                () -> noOrganisation(organisationId));
    }

    /**
     * {@link #notSuspended}, read once through the organisation's {@link OrganisationGate}, which stays
     * passed until the transaction this runs in ends: a suspension waits for the money movement that
     * checked it, and one committed a moment ago is read as suspended. Run it in the movement's own
     * transaction ({@code OneTransaction}), not before it: a check in a transaction of its own let a
     * suspension commit between the check and the movement, which was then recorded after it.
     */
    public OrganisationView notSuspendedHeld(String organisationId, String cannot) {
        OrganisationView organisation = single(transactions.execute(status -> context.queryAfter(organisationId,
                OrganisationGate.PASS, ORGANISATION, ORGANISATION_ROW, organisationId)),
                () -> noOrganisation(organisationId));
        requireNotSuspended(organisation, cannot);
        return organisation;
    }

    /**
     * Closes the organisation's {@link OrganisationGate} until the transaction this runs in ends: after
     * the money movements under way, before any that come later, which then read what this transaction
     * changed. Run it in the change's own transaction before its command takes any aggregate's lock (a
     * donation takes its campaign's, say, after passing the gate).
     */
    public void closeGate(String organisationId) {
        jdbc.query(OrganisationGate.CLOSE, rs -> null, organisationId);
    }

    /**
     * The organisation, which must not be suspended: while it is, nothing new is set up for it and no
     * money moves in or out by anyone's hand ({@code conflict}, saying what it cannot do).
     */
    public OrganisationView notSuspended(String organisationId, String cannot) {
        OrganisationView organisation = organisation(organisationId);
        requireNotSuspended(organisation, cannot);
        return organisation;
    }

    /**
     * {@link #notSuspended} for an organisation a request's body names ({@code param}): an unknown one is
     * {@code invalid_request} naming it, as an unknown fund in a body is, not {@code not_found}.
     */
    public OrganisationView notSuspended(String organisationId, String cannot, String param) {
        try {
            return notSuspended(organisationId, cannot);
        } catch (ApiException e) {
            if (e.code() == ApiErrorCode.NOT_FOUND) {
                throw ApiException.invalid(param, "no organisation " + organisationId);
            }
            throw e;
        }
    }

    /** The fund, which must belong to the organisation: a fund of another organisation is "unknown" here. */
    public FundView fund(String organisationId, String fundId, String param) {
        return fund(organisationId, fundId, param, "");
    }

    /**
     * The fund a new campaign or project will use: the organisation's, open ({@code conflict}) and
     * in {@code currency} ({@code invalid_request}, saying {@code why}). Its row is share-locked until
     * the transaction this runs in ends: the fund cannot be closed meanwhile (closing updates the
     * row, then counts the fund's unfinished work), and one closed a moment ago is read as closed.
     */
    public FundView openFundHeld(String organisationId, String fundId, String currency, String why) {
        FundView fund = fund(organisationId, fundId, "fund_id", " FOR SHARE");
        if (!"open".equals(fund.status())) {
            throw ApiException.conflict("fund " + fund.id() + " is closed");
        }
        if (!fund.currency().equals(currency)) {
            throw ApiException.invalid("currency", "fund " + fund.id() + " holds " + fund.currency() + ", not " + currency
                    + "; " + why);
        }
        return fund;
    }

    private FundView fund(String organisationId, String fundId, String param, String lock) {
        return single(inContext(organisationId, () -> jdbc.query(
                "SELECT " + FUND_COLUMNS + " FROM funds f WHERE f.id = ? AND f.organisation_id = ?" + lock,
                (rs, n) -> fundView(rs, 1), fundId, organisationId)),
                () -> noFund(organisationId, fundId, param));
    }

    /** An organisation that is not suspended and one of its funds. */
    public record FundOfOrganisation(OrganisationView organisation, FundView fund) {
    }

    /**
     * {@link #notSuspended} and {@link #fund} in one query (a donation's hot path; each query is a
     * round trip to PostgreSQL), with the same errors in the same order, except that an unknown
     * organisation is {@code invalid_request}: it comes from the donation's body. It passes the organisation's
     * {@link OrganisationGate} first, in the same round trip, as {@link #notSuspendedHeld} does: run in
     * the donations' transaction, a suspension waits for them or they see it.
     */
    public FundOfOrganisation fundOfOrganisation(String organisationId, String fundId, String param, String cannot) {
        List<FundOfOrganisation> rows = transactions.execute(status -> context.queryAfter(organisationId, OrganisationGate.PASS, """
                        SELECT o.id, o.status, o.default_visibility, """ + FUND_COLUMNS + """
                          FROM organisations o LEFT JOIN funds f ON f.id = ? AND f.organisation_id = o.id
                         WHERE o.id = ?""",
                (rs, n) -> new FundOfOrganisation(new OrganisationView(rs.getString(1), rs.getString(2), rs.getString(3)),
                        rs.getString(4) == null ? null : fundView(rs, 4)),
                fundId, organisationId));
        // a body's organisation (a donation's): unknown is invalid_request naming it, as an unknown fund is
        FundOfOrganisation found = single(rows, () -> ApiException.invalid("organisation_id", "no organisation " + organisationId));
        requireNotSuspended(found.organisation(), cannot);
        if (found.fund() == null) {
            throw noFund(organisationId, fundId, param);
        }
        return found;
    }

    /** What {@link #fundView} reads, from the funds table as {@code f}: its restriction window last. */
    private static final String FUND_COLUMNS = "f.id, f.organisation_id, f.name, f.type, f.currency, f.status, f.balance, "
            + "(f.restrictions ->> 'starts_on')::date, (f.restrictions ->> 'ends_on')::date";

    private static FundView fundView(java.sql.ResultSet rs, int first) throws java.sql.SQLException {
        return new FundView(rs.getString(first), rs.getString(first + 1), rs.getString(first + 2), rs.getString(first + 3),
                rs.getString(first + 4), rs.getString(first + 5), rs.getLong(first + 6), date(rs, first + 7), date(rs, first + 8));
    }

    private static LocalDate date(java.sql.ResultSet rs, int column) throws java.sql.SQLException {
        java.sql.Date date = rs.getDate(column);
        return date == null ? null : date.toLocalDate();
    }

    private static ApiException noOrganisation(String organisationId) {
        return ApiException.notFound("organisation_id", "no organisation " + organisationId);
    }

    private static void requireNotSuspended(OrganisationView organisation, String cannot) {
        if ("suspended".equals(organisation.status())) {
            throw ApiException.conflict("organisation " + organisation.id() + " is suspended and cannot " + cannot);
        }
    }

    private static ApiException noFund(String organisationId, String fundId, String param) {
        return ApiException.invalid(param, "organisation " + organisationId + " has no fund " + fundId);
    }

    public DonationView donation(String organisationId, String donationId) {
        return donation(organisationId, donationId, "");
    }

    /**
     * The donation as it is now, its row held until the current transaction ends, as {@link #holdDonation} holds
     * it: a change of a donation takes its row before its aggregate, so that two changes of one donation queue
     * for the row instead of each holding what the other waits for until the lock timeout gives one up.
     */
    public DonationView heldDonation(String organisationId, String donationId) {
        return donation(organisationId, donationId, " FOR NO KEY UPDATE");
    }

    /**
     * {@link #heldDonation}, having passed its organisation's {@link OrganisationGate} first, in the same round trip,
     * as every money movement does (Stripe's reports: the money moved whatever the organisation's status, but a
     * suspension under way waits for them, and one committed a moment ago is what the match a success offers reads).
     */
    public DonationView heldDonationPastGate(String organisationId, String donationId) {
        return single(transactions.execute(status -> context.queryAfter(organisationId, OrganisationGate.PASS,
                DONATION + " FOR NO KEY UPDATE", DONATION_ROW, donationId)), () -> noDonation(donationId));
    }

    private static final String DONATION = """
            SELECT id, organisation_id, fund_id, campaign_id, amount, currency, status, fee_amount,
                   refunded_amount, visibility, payment_reference, failure_reason FROM donations WHERE id = ?""";
    private static final RowMapper<DonationView> DONATION_ROW = (rs, n) -> new DonationView(rs.getString(1),
            rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5), rs.getString(6), rs.getString(7),
            rs.getLong(8), rs.getLong(9), rs.getString(10), rs.getString(11), rs.getString(12));

    private DonationView donation(String organisationId, String donationId, String lock) {
        return single(inContext(organisationId, () -> jdbc.query(DONATION + lock, DONATION_ROW, donationId)),
                () -> noDonation(donationId));
    }

    private static ApiException noDonation(String donationId) {
        return ApiException.notFound("donation_id", "no donation " + donationId);
    }

    /**
     * Refuses (conflict) a Stripe payment ({@code pi_…}, {@code ch_…}) that the organisation already
     * recorded as another donation's: a payment intent or charge is one payment, so a second donation
     * naming it would count the money twice (and have it matched twice). Other references (a bank
     * transfer's, a standing order's) may repeat and are not checked. A look-up: what settles it is
     * {@link #claimStripePayment}, in the recording's own transaction.
     */
    public void requirePaymentNotRecorded(String organisationId, String paymentReference, String donationId) {
        if (!CompleteDonationCommand.isStripePayment(paymentReference)) {
            return;
        }
        paymentRecordedAs(organisationId, donationId, paymentReference).ifPresent(other -> {
            throw ApiException.conflict("payment " + paymentReference + " is already recorded as donation " + other);
        });
    }

    /**
     * The organisation's other donation that received this Stripe payment, named by any of its ids (a payment
     * intent's and its charge's name one payment), if any; a refunded payment stays that donation's.
     */
    public Optional<String> paymentRecordedAs(String organisationId, String donationId, String... paymentIds) {
        List<Object> args = new ArrayList<>(List.of(organisationId, donationId));
        args.addAll(List.of(paymentIds));
        return inContext(organisationId, () -> jdbc.queryForList("""
                SELECT donation_id FROM stripe_payments WHERE organisation_id = ? AND donation_id <> ? AND payment_id IN ("""
                        + String.join(", ", Collections.nCopies(paymentIds.length, "?")) + ") LIMIT 1",
                String.class, args.toArray())).stream().findFirst();
    }

    /** A donation a Stripe payment was recorded for, and its organisation. */
    public record PaymentOwner(String organisationId, String donationId) {
    }

    /**
     * The donations any of these Stripe payment ids ({@code pi_…}, {@code ch_…}; blanks skipped) were recorded for,
     * whatever their organisation (V43's function: Stripe's report of a failed refund names a payment, not a
     * donation), first recorded first. More than one only when organisations recorded the same id by hand.
     */
    public List<PaymentOwner> stripePaymentOwners(String... paymentIds) {
        Set<PaymentOwner> owners = new LinkedHashSet<>();
        for (String paymentId : paymentIds) {
            if (paymentId != null && !paymentId.isEmpty()) {
                owners.addAll(jdbc.query("SELECT organisation_id, donation_id FROM amply_stripe_payment_owner(?)",
                        (rs, n) -> new PaymentOwner(rs.getString(1), rs.getString(2)), paymentId));
            }
        }
        return List.copyOf(owners);
    }

    /**
     * Records, in the current transaction, that the donation received this Stripe payment, by each id that names
     * it (nothing for another kind of reference); conflict when another donation holds one of them. Two recordings
     * of one payment at the same moment meet here: the second waits for the first's transaction and is refused if
     * it committed.
     */
    public void claimStripePayment(String organisationId, String donationId, String... paymentIds) {
        for (String paymentId : paymentIds) {
            if (!CompleteDonationCommand.isStripePayment(paymentId)) {
                continue; // a bank transfer's reference, say: nothing to claim, and not a statement more on its way
            }
            context.enter(organisationId);
            if (jdbc.update("""
                    INSERT INTO stripe_payments (organisation_id, payment_id, donation_id) VALUES (?, ?, ?)
                    ON CONFLICT (organisation_id, payment_id) DO NOTHING""", organisationId, paymentId, donationId) == 0) {
                String holder = jdbc.queryForObject("SELECT donation_id FROM stripe_payments WHERE organisation_id = ? AND payment_id = ?",
                        String.class, organisationId, paymentId);
                if (!donationId.equals(holder)) {
                    throw ApiException.conflict("payment " + paymentId + " is already recorded as donation " + holder);
                }
            }
        }
    }

    /**
     * The donor's identity (name, e-mail) beside a donation: a mutable column, never in an event,
     * so erasing the person never touches the ledger. Written in the donation's transaction.
     */
    public void recordDonor(String organisationId, String donationId, String name, String email) {
        int updated = inContext(organisationId, () -> jdbc.update("UPDATE donations SET donor_name = ?, donor_email = ? WHERE id = ?",
                name, email, donationId));
        if (updated != 1) { // never silently without its donor
            throw new IllegalStateException("donation " + donationId + " has no row for its donor");
        }
    }

    /**
     * A failure's reason as the organisation gave it, kept on the donation (erased with its donor) and not in
     * the event, which Kafka carries for good; in the failure's own transaction, which the donation's
     * aggregate may still refuse.
     */
    public void recordFailureReason(String organisationId, String donationId, String reason) {
        context.enter(organisationId);
        jdbc.update("UPDATE donations SET failure_reason = ? WHERE id = ?", reason, donationId);
    }

    /**
     * Holds the donation's row until the current transaction ends, before its aggregate is taken: a donor's
     * erasure of it at the same moment then either waits for what this transaction writes about the donation
     * (and erases it too) or has gone before; and every change of one donation (complete, fail, refund, Stripe's
     * reports) takes the row and then the aggregate, in that order, so none of them holds the aggregate while
     * waiting for the row another holds on its way to the aggregate.
     */
    public void holdDonation(String organisationId, String donationId) {
        context.query(organisationId, "SELECT id FROM donations WHERE id = ? FOR NO KEY UPDATE", (rs, n) -> rs.getString(1),
                donationId);
    }

    /**
     * Erases a donor from the organisation's donations: every donation whose e-mail address is this
     * one (in any case) loses its donor's name and address. Returns those donations. It reads the
     * organisation's donations (no index on the address: it would cost every donation a write, for
     * a request made rarely), so a large organisation's may take longer than the connections'
     * statement_timeout allows a command's statements.
     */
    public List<String> eraseDonor(String organisationId, String email) {
        return inContext(organisationId, () -> {
            jdbc.execute("SET LOCAL statement_timeout = '10min'");
            return jdbc.queryForList("""
                    UPDATE donations SET donor_name = NULL, donor_email = NULL, failure_reason = NULL
                     WHERE organisation_id = ? AND lower(donor_email) = lower(?) RETURNING id""", String.class, organisationId, email);
        });
    }

    /** A written ledger entry, as a correction needs it: amounts signed, as the ledger holds them. */
    public record LedgerEntryView(String id, String type, long amount, String fundId, String visibility, Instant publicAfter,
                                  String projectId) {
    }

    /**
     * The entry a correction refers to, which must be in the organisation's ledger: an entry of
     * another organisation, or one the ledger has not written (yet), is "unknown" here. Every entry
     * names its fund in its metadata.
     */
    public LedgerEntryView ledgerEntry(String organisationId, String entryId, String param) {
        return single(inContext(organisationId, () -> jdbc.query("""
                        SELECT id, type, amount, metadata ->> 'fund_id', visibility, metadata ->> 'public_after',
                               metadata ->> 'project_id'
                          FROM ledger_entries WHERE id = ? AND organisation_id = ?""",
                (rs, n) -> new LedgerEntryView(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                        rs.getString(5), rs.getString(6) == null ? null : Instant.parse(rs.getString(6)), rs.getString(7)),
                entryId, organisationId)),
                () -> ApiException.invalid(param, "the ledger of organisation " + organisationId + " has no entry " + entryId));
    }

    /** How many of the fund's campaigns (draft or active) and projects (planning or active) are not finished. */
    public long unfinishedWorkOf(String organisationId, String fundId) {
        return inContext(organisationId, () -> jdbc.queryForObject("""
                SELECT (SELECT count(*) FROM campaigns WHERE fund_id = ? AND status IN ('draft', 'active'))
                     + (SELECT count(*) FROM projects WHERE fund_id = ? AND status IN ('planning', 'active'))""",
                Long.class, fundId, fundId));
    }

    /**
     * {@code read} in a transaction acting for one user or business ({@code context}: {@code SET_USER} or
     * {@code SET_BUSINESS} of {@link io.amply.db.TenantContext}), which row-level security lets read that
     * one's rows in every organisation, and change none (V27, V28).
     */
    public <T> T actingFor(String context, String id, Supplier<T> read) {
        return transactions.execute(status -> {
            jdbc.query(context, rs -> null, id);
            return read.get();
        });
    }

    /**
     * Runs a read inside a transaction that acts for {@code organisationId}: the caller's, when it
     * has one (the organisation is then set only if it changes), else one of its own.
     */
    public <T> T inContext(String organisationId, Supplier<T> read) {
        return transactions.execute(status -> {
            context.enter(organisationId);
            return read.get();
        });
    }

    private static <T> T single(List<T> rows, Supplier<ApiException> none) {
        if (rows == null || rows.isEmpty()) {
            throw none.get();
        }
        return rows.get(0);
    }
}
