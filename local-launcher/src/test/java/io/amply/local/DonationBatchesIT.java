package io.amply.local;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Donations that arrive together are recorded in one unit of work and transaction (DonationBatcher),
 * and each is still answered as if it had been recorded alone. To have a known batch, the test holds
 * the fund's lookup row: the first donation's batch waits for it while the others queue behind it.
 */
class DonationBatchesIT {

    private static final int QUEUED = 8;

    private final TestStack stack = TestStack.get();
    private final Api api = new Api(stack);
    private final MeterRegistry meters = stack.apps().command().getBean(MeterRegistry.class);

    @Test
    void aDonationItsAggregateRejectsIsAnsweredAloneAndTheOthersInItsBatchAreRecordedOnce() throws Exception {
        // given: a fund whose first donation is held, and eight good donations and one with a fee
        // above its amount (the Donation aggregate's rule, not a check before the command) queued behind it
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        double rolledBackBefore = rolledBack();
        List<String> bodies = new ArrayList<>();
        for (int i = 1; i <= QUEUED; i++) {
            bodies.add(donation(org, 1000L * i, "GBP", 10));
        }
        bodies.set(0, bodies.get(0).replaceFirst("\\{", "{\"donor\": {\"name\": \"Grace Hopper\"}, "));
        bodies.add(donation(org, 50, "GBP", 60));

        // when
        Batch batch = sendHeld(org, bodies);

        // then: the batch was rolled back once and its donations recorded again one by one
        assertThat(rolledBack() - rolledBackBefore).isEqualTo(1);
        assertThat(batch.queued.subList(0, QUEUED)).allSatisfy(r -> assertThat(r.status()).as(r.raw()).isEqualTo(201));
        Http.Response rejected = batch.queued.get(QUEUED);
        assertThat(rejected.status()).isEqualTo(400);
        assertThat(rejected.body().get("error").get("param").asText()).isEqualTo("payment.fee_amount");
        // each good donation exactly once, the rejected one not at all, and the fund holds exactly their money
        assertThat(api.count("SELECT count(*) FROM donations WHERE organisation_id = ?", org.id())).isEqualTo(QUEUED + 1);
        long net = 90 + (1000L * QUEUED * (QUEUED + 1) / 2 - 10L * QUEUED);
        assertThat(api.balance(org.generalFund())).isEqualTo(net);
        assertPositionsAreEachDonationsOwn(batch);
        // a donor survives its batch's rollback: recorded again alone, with its donor
        assertThat(api.count("SELECT count(*) FROM donations WHERE organisation_id = ? AND donor_name = 'Grace Hopper'",
                org.id())).isOne();
        // and alone it gets the same answer
        Http.Response alone = api.post("/v1/donations", Api.admin(), bodies.get(QUEUED));
        assertThat(alone.status()).isEqualTo(400);
        assertThat(alone.body().get("error").get("param").asText()).isEqualTo("payment.fee_amount");
    }

    @Test
    void eachDonationOfABatchMarksItsOwnIdempotencyKeyAndOnlyIfItWasRecorded() throws Exception {
        // given: six good donations and one the checks refuse (wrong currency), each with an
        // Idempotency-Key of its own, queued behind a held one: one batch, recorded by one thread
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        double rolledBackBefore = rolledBack();
        List<String> bodies = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            bodies.add(donation(org, 100L * i, "GBP", 0));
        }
        bodies.add(donation(org, 700, "EUR", 0));
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < bodies.size(); i++) {
            keys.add("batch-" + i + "-" + org.id());
        }

        // when
        Batch batch = sendHeld(org, bodies, keys);

        // then: the six committed together and each marked its own key; the refused one is unmarked
        // (a retry after a crash would run it)
        assertThat(rolledBack() - rolledBackBefore).isZero();
        assertThat(batch.queued.subList(0, 6)).allSatisfy(r -> assertThat(r.status()).as(r.raw()).isEqualTo(201));
        assertThat(batch.queued.get(6).status()).isEqualTo(400);
        for (int i = 0; i < keys.size(); i++) {
            assertThat(api.count("SELECT count(*) FROM idempotency_keys WHERE idempotency_key = ? AND recorded", keys.get(i)))
                    .as("key of donation %d marked", i).isEqualTo(i < 6 ? 1 : 0);
        }
        assertThat(api.balance(org.generalFund())).isEqualTo(90 + 100L * 6 * 7 / 2);
    }

    @Test
    void aDonationSoLateThatARetryTookItsKeyOverRollsBackAndOnlyTheRetryIsRecorded() throws Exception {
        // given: a keyed donation held before its command (its checks wait for the funds table; its
        // claim committed before them), then its claim aged past two minutes, as if it had been that slow
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        String key = "late-" + org.id();
        Map<String, String> headers = Map.of("Idempotency-Key", key);
        String url = stack.apps().commandUrl() + "/v1/donations";
        String body = donation(org, 500, "GBP", 0);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Connection lock = stack.superuser()) {
            lock.setAutoCommit(false);
            try (Statement hold = lock.createStatement()) {
                hold.execute("LOCK TABLE funds IN ACCESS EXCLUSIVE MODE");
            }
            Future<Http.Response> late = pool.submit(() -> Http.post(url, Api.admin(), body, headers));
            // its key claimed, and a wait for the table begun: the late donation's (another session may wait there too,
            // and whichever of the two donations leads the fund's lane, the other queues behind it)
            Diagnostics.await(Duration.ofSeconds(30), () -> api.count(
                    "SELECT count(*) FROM idempotency_keys WHERE idempotency_key = ?", key) == 1 && fundWaiters() >= 1, this::explained);
            try (Connection superuser = stack.superuser(); Statement age = superuser.createStatement()) {
                assertThat(age.executeUpdate("UPDATE idempotency_keys SET created_at = now() - interval '3 minutes'"
                        + " WHERE idempotency_key = '" + key + "'")).as("the late donation's claim, aged").isEqualTo(1);
            }

            // when: the client's retry takes the key over and queues behind it in the fund's lane, then the first goes on
            Future<Http.Response> retry = pool.submit(() -> Http.post(url, Api.admin(), body, headers));
            Diagnostics.await(Duration.ofSeconds(30), () -> meters.get("amply.donations.queued").gauge().value() == 1, this::explained);
            lock.commit();

            // then: the first finds its key taken and records nothing; the retry is recorded, once
            Http.Response first = late.get();
            assertThat(first.status()).as(first.raw()).isEqualTo(409);
            assertThat(first.body().get("error").get("message").asText()).contains("taken over");
            assertThat(retry.get().status()).isEqualTo(201);
            assertThat(api.count("SELECT count(*) FROM donations WHERE organisation_id = ?", org.id())).isOne();
            assertThat(api.balance(org.generalFund())).isEqualTo(500);
            assertThat(api.count("SELECT count(*) FROM idempotency_keys WHERE idempotency_key = ? AND recorded"
                    + " AND response_status = 201", key)).isOne();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aDonationTheChecksRejectIsAnsweredAloneWhileTheRestCommitTogether() throws Exception {
        // given: eight good donations and one in the wrong currency queued behind a held one
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        double rolledBackBefore = rolledBack();
        double batchesBefore = meters.get("amply.donations.batch.size").summary().count();
        double donationsBefore = meters.get("amply.donations.batch.size").summary().totalAmount();
        List<String> bodies = new ArrayList<>();
        for (int i = 1; i <= QUEUED; i++) {
            bodies.add(donation(org, 100L * i, "GBP", 0));
        }
        bodies.add(donation(org, 100, "EUR", 0));

        // when
        Batch batch = sendHeld(org, bodies);

        // then: two commits (the held donation, then the nine together), nothing rolled back
        assertThat(meters.get("amply.donations.batch.size").summary().count() - batchesBefore).isEqualTo(2);
        assertThat(meters.get("amply.donations.batch.size").summary().totalAmount() - donationsBefore)
                .isEqualTo(1 + QUEUED + 1);
        assertThat(rolledBack() - rolledBackBefore).isZero();
        assertThat(batch.queued.subList(0, QUEUED)).allSatisfy(r -> assertThat(r.status()).as(r.raw()).isEqualTo(201));
        Http.Response rejected = batch.queued.get(QUEUED);
        assertThat(rejected.status()).isEqualTo(400);
        assertThat(rejected.body().get("error").get("param").asText()).isEqualTo("currency");
        assertThat(api.count("SELECT count(*) FROM donations WHERE organisation_id = ?", org.id())).isEqualTo(QUEUED + 1);
        assertThat(api.balance(org.generalFund())).isEqualTo(90 + 100L * QUEUED * (QUEUED + 1) / 2); // the held one: 100 less a fee of 10
        assertPositionsAreEachDonationsOwn(batch);
    }

    @Test
    void aBatchWhoseDonationRowsCannotBeWrittenLeavesNothingAndItsGoodDonationsAreRecordedAlone() throws Exception {
        // given: the donations table refuses one payment reference (its rows are written when the batch's
        // events have been handled, so this fails late, after the commands and the event append)
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        List<String> bodies = new ArrayList<>();
        for (int i = 1; i <= QUEUED; i++) {
            bodies.add(donation(org, 1000L * i, "GBP", 10));
        }
        bodies.add(donation(org, 77, "GBP", 0).replace("BATCH 77", "REFUSED BY THE TABLE"));

        // when
        Batch batch = sendHeldWhileTheSchemaIs(org, bodies,
                List.of("ALTER TABLE donations ADD CONSTRAINT refuses_one_reference "
                        + "CHECK (payment_reference IS DISTINCT FROM 'REFUSED BY THE TABLE') NOT VALID"),
                List.of("ALTER TABLE donations DROP CONSTRAINT refuses_one_reference"));

        // then: the refused one answered with a server error and stored nowhere, not even its events;
        // the others recorded once each, completed with their fee and reference, and the fund holds their money
        assertThat(batch.queued.subList(0, QUEUED)).allSatisfy(r -> assertThat(r.status()).as(r.raw()).isEqualTo(201));
        Http.Response refused = batch.queued.get(QUEUED);
        assertThat(refused.status()).as(refused.raw()).isEqualTo(500);
        assertThat(refused.body().get("error").get("code").asText()).isEqualTo("server_error");
        assertThat(api.count("SELECT count(*) FROM donations WHERE organisation_id = ?", org.id())).isEqualTo(QUEUED + 1);
        assertThat(api.count("SELECT count(*) FROM donations WHERE organisation_id = ? AND status = 'completed' "
                + "AND payment_reference LIKE 'BATCH %' AND fee_amount = 10", org.id())).isEqualTo(QUEUED + 1);
        assertThat(api.count("SELECT count(*) FROM domain_event_entry WHERE position('REFUSED BY THE TABLE' IN "
                + "convert_from(payload, 'UTF8')) > 0")).isZero();
        assertThat(api.balance(org.generalFund())).isEqualTo(90 + 1000L * QUEUED * (QUEUED + 1) / 2 - 10L * QUEUED);
        assertPositionsAreEachDonationsOwn(batch);
    }

    @Test
    void pendingAndCompletedDonationsOfOneBatchAreEachWrittenAsTheirEventsLeftThem() throws Exception {
        // given: alternately a donation with its payment (completed at once) and one without (pending
        // until its payment provider reports), queued behind a held one: their rows go as one JDBC batch
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        double rolledBackBefore = rolledBack();
        List<String> bodies = new ArrayList<>();
        for (int i = 1; i <= QUEUED; i++) {
            bodies.add(i % 2 == 0 ? donation(org, 1000L * i, "GBP", 10) : """
                    {"organisation_id": "%s", "fund_id": "%s", "amount": %d, "currency": "GBP"}
                    """.formatted(org.id(), org.generalFund(), 1000L * i));
        }

        // when
        Batch batch = sendHeld(org, bodies);

        // then: recorded together, each row as its own events left it, and only received money in the fund
        assertThat(rolledBack() - rolledBackBefore).isZero();
        assertThat(batch.queued).allSatisfy(r -> assertThat(r.status()).as(r.raw()).isEqualTo(201));
        assertThat(api.count("SELECT count(*) FROM donations WHERE organisation_id = ? AND status = 'completed' "
                + "AND payment_reference LIKE 'BATCH %' AND fee_amount = 10", org.id())).isEqualTo(1 + QUEUED / 2);
        assertThat(api.count("SELECT count(*) FROM donations WHERE organisation_id = ? AND status = 'pending' "
                + "AND payment_reference IS NULL AND fee_amount = 0 AND updated_at = created_at", org.id())).isEqualTo(QUEUED / 2);
        assertThat(api.balance(org.generalFund())).isEqualTo(90 + (2000 + 4000 + 6000 + 8000) - 10L * QUEUED / 2);
        assertPositionsAreEachDonationsOwn(batch);
    }

    @Test
    void eachDonorIsKeptWithItsOwnDonationAndInNoEvent() throws Exception {
        // given: eight donations queued behind a held one, every other one with a donor
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        List<String> bodies = new ArrayList<>();
        for (int i = 1; i <= QUEUED; i++) {
            String body = donation(org, 100L * i, "GBP", 0);
            bodies.add(i % 2 == 0 ? body : body.replaceFirst("\\{", """
                    {"donor": {"name": "Donor %d of %s", "email": "donor%d@example.org"}, """.formatted(i, org.id(), i)));
        }

        // when: they are recorded together, while the table refuses a donor written after its row's
        // insert (as it was until 6980aae)
        Batch batch = sendHeldWhileTheSchemaIs(org, bodies,
                List.of("""
                        CREATE FUNCTION it_refuse_donor_update() RETURNS trigger LANGUAGE plpgsql
                            AS $$ BEGIN RAISE EXCEPTION 'a donor written after the row'; END $$""",
                        "CREATE TRIGGER it_refuse_donor_update BEFORE UPDATE OF donor_name, donor_email ON donations "
                                + "FOR EACH ROW EXECUTE FUNCTION it_refuse_donor_update()"),
                List.of("DROP TRIGGER it_refuse_donor_update ON donations", "DROP FUNCTION it_refuse_donor_update()"));

        // then: each row was inserted with its own donor, or none
        assertThat(batch.queued).allSatisfy(r -> assertThat(r.status()).as(r.raw()).isEqualTo(201));
        for (int i = 1; i <= QUEUED; i++) {
            String id = batch.queued.get(i - 1).body().get("data").get("id").asText();
            String expected = i % 2 == 0 ? null : "Donor " + i + " of " + org.id();
            assertThat(api.count("SELECT count(*) FROM donations WHERE id = ? AND donor_name IS NOT DISTINCT FROM ?"
                    + " AND donor_email IS NOT DISTINCT FROM ?", id, expected, expected == null ? null : "donor" + i + "@example.org"))
                    .as("the donor of donation %d", i).isOne();
        }
        // and no event of the organisation carries a donor's name or address
        assertThat(api.count("""
                SELECT count(*) FROM domain_event_entry
                 WHERE convert_from(payload, 'UTF8') LIKE '%' || ? || '%'
                   AND (convert_from(payload, 'UTF8') LIKE '%Donor %' OR convert_from(payload, 'UTF8') LIKE '%@example.org%')""",
                org.id())).isZero();
        assertThat(api.count("SELECT count(*) FROM domain_event_entry WHERE convert_from(payload, 'UTF8') LIKE '%' || ? || '%'",
                org.id())).isGreaterThan(QUEUED); // the query does find the organisation's events
    }

    private record Batch(Http.Response held, List<Http.Response> queued) {
    }

    /**
     * Sends one donation while the fund's lookup row is locked, waits until its batch is blocked on
     * it (writing the donation's row, whose foreign key needs the fund's row) and {@code bodies} are
     * all queued behind it, then lets go.
     */
    /** {@link #sendHeld} with the superuser's {@code change} to the schema in force, and {@code undone} after, whatever happens. */
    private Batch sendHeldWhileTheSchemaIs(Api.Organisation org, List<String> bodies, List<String> change, List<String> undone)
            throws Exception {
        api.superuser(change.toArray(String[]::new));
        try {
            return sendHeld(org, bodies);
        } finally {
            api.superuser(undone.toArray(String[]::new));
        }
    }

    private Batch sendHeld(Api.Organisation org, List<String> bodies) throws Exception {
        return sendHeld(org, bodies, null);
    }

    /** Why a wait for lock waits or queued donations timed out: the queue, the sessions, the request threads. */
    private String explained() {
        return "\nqueued: " + meters.get("amply.donations.queued").gauge().value() + Diagnostics.sessions(stack)
                + Diagnostics.threads("exec-");
    }

    /** Sessions waiting for the funds table's lock; who they are is printed when there is more than one. */
    private long fundWaiters() throws SQLException {
        long waiters = api.count("SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'funds'::regclass");
        if (waiters > 1) {
            System.out.println("more than one session waits for the funds table:" + Diagnostics.sessions(stack));
        }
        return waiters;
    }

    private long lockWaits() throws SQLException {
        return api.count("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()");
    }

    /** {@code keys}: each body's Idempotency-Key, or null for none. */
    private Batch sendHeld(Api.Organisation org, List<String> bodies, List<String> keys) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(bodies.size() + 1);
        try (Connection lock = stack.superuser()) {
            lock.setAutoCommit(false);
            try (PreparedStatement hold = lock.prepareStatement("SELECT 1 FROM funds WHERE id = ? FOR UPDATE")) {
                hold.setString(1, org.generalFund());
                hold.executeQuery().close();
            }
            Future<Http.Response> held = pool.submit(() -> api.post("/v1/donations", Api.admin(),
                    donation(org, 100, "GBP", 10)));
            Diagnostics.await(Duration.ofSeconds(30), () -> lockWaits() == 1, this::explained);
            List<Future<Http.Response>> queued = new ArrayList<>();
            for (int i = 0; i < bodies.size(); i++) {
                String body = bodies.get(i);
                Map<String, String> headers = keys == null ? Map.of() : Map.of("Idempotency-Key", keys.get(i));
                queued.add(pool.submit(() -> Http.post(stack.apps().commandUrl() + "/v1/donations", Api.admin(), body, headers)));
            }
            Diagnostics.await(Duration.ofSeconds(30), () -> meters.get("amply.donations.queued").gauge().value() == bodies.size(),
                    this::explained);
            lock.commit();
            List<Http.Response> answers = new ArrayList<>();
            for (Future<Http.Response> answer : queued) {
                answers.add(answer.get());
            }
            return new Batch(held.get(), answers);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Each recorded donation's {@code meta.position} is its own: exactly the global index of the
     * last event its command caused (the fund's included), as the append returned it, and no
     * other's; and its answer (built from its command, not read back) is what its row holds.
     */
    private void assertPositionsAreEachDonationsOwn(Batch batch) throws Exception {
        Set<Long> positions = new HashSet<>();
        int recorded = 0;
        for (Http.Response response : batch.queued) {
            if (response.status() != 201) {
                continue;
            }
            recorded++;
            long position = response.body().get("meta").get("position").asLong();
            positions.add(position);
            String id = response.body().get("data").get("id").asText();
            assertThat(position).isEqualTo(lastEventOfTrace(id)).isGreaterThanOrEqualTo(lastEventOf(id));
            assertThat(api.get("/v1/donations/" + id, Api.admin()).body().get("data")).isEqualTo(response.body().get("data"));
        }
        assertThat(positions).hasSize(recorded);
    }

    private long lastEventOf(String donationId) throws Exception {
        try (Connection superuser = stack.superuser(); PreparedStatement query = superuser.prepareStatement(
                "SELECT max(global_index) FROM domain_event_entry WHERE aggregate_identifier = ?")) {
            query.setString(1, donationId);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The last event carrying the donation's trace (its command's identifier, in every event it caused). */
    private long lastEventOfTrace(String donationId) throws Exception {
        try (Connection superuser = stack.superuser(); PreparedStatement query = superuser.prepareStatement("""
                SELECT max(e.global_index) FROM domain_event_entry e
                 WHERE convert_from(e.meta_data, 'UTF8')::jsonb ->> 'traceId' =
                       (SELECT convert_from(d.meta_data, 'UTF8')::jsonb ->> 'traceId' FROM domain_event_entry d
                         WHERE d.aggregate_identifier = ? ORDER BY d.global_index LIMIT 1)""")) {
            query.setString(1, donationId);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private double rolledBack() {
        return meters.get("amply.donations.batch.rolled.back").counter().count();
    }

    private static String donation(Api.Organisation org, long amount, String currency, long fee) {
        return """
                {"organisation_id": "%s", "fund_id": "%s", "amount": %d, "currency": "%s",
                 "payment": {"method": "bank_transfer", "reference": "BATCH %d", "fee_amount": %d, "fee_charged_by": "bank"}}
                """.formatted(org.id(), org.generalFund(), amount, currency, amount, fee);
    }
}
