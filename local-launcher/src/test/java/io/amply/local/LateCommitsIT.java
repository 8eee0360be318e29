package io.amply.local;

import io.amply.ledger.hash.LedgerEntry;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * An event takes its index when it is inserted and is seen when its transaction commits: the
 * processors look again for an index they read past for as long as its transaction may still commit
 * (AxonSchemas: 60,000 indexes, not Axon's 10,000), and the database refuses
 * to commit events later than that (V30__event_commit_deadline.sql).
 */
class LateCommitsIT {

    private static final String PROBE = "io.amply.test.LateCommitProbe"; // no handler knows it: every processor skips it

    private final TestStack stack = TestStack.get();
    private final Api api = new Api(stack);

    @Test
    void aDonationCommittedAfterTwelveThousandLaterEventsStillReachesTheLedger() throws Exception {
        // given: a donation appended by a transaction that has not committed yet (as a command held up after its append)
        Api.Organisation org = api.organisation(Api.admin(), "EUR");
        Api.Organisation later = api.organisation(Api.admin(), "EUR"); // made now: the held transaction has 15 s
        api.ledger(later.id(), chain -> chain.isEmpty());
        long gapsBefore = ledgerGaps();
        long gapsWhileHeld;
        try (Connection held = stack.app()) {
            held.setAutoCommit(false);
            Instant began = Instant.now();
            String donation = Tenants.newId("don_");
            insert(held, donation, "io.amply.events.donation.DonationReceivedEvent", donationReceived(donation, org, 4_200), Instant.now());

            // when: 12,000 later events are committed (more than Axon's default gap offset of 10,000) and read past by the
            // processors: another organisation's donation, after them, reaches its ledger
            try (Connection other = stack.owner(); Statement filler = other.createStatement()) {
                filler.executeUpdate("""
                        INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type, time_stamp,
                                                        payload_type, payload_revision, payload, meta_data)
                        SELECT gen_random_uuid()::text, 'probe_' || gen_random_uuid(), 0, 'Probe', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                               '%s', '1', convert_to('{}', 'UTF8'), convert_to('{}', 'UTF8')
                          FROM generate_series(1, 12000)""".formatted(PROBE));
            }
            api.receive(Api.admin(), later.id(), later.generalFund(), 100, "EUR", 0);
            api.ledger(later.id(), chain -> chain.size() == 1);
            // the ledger's tokens carry the held index as a gap (and the gauge says so)
            gapsWhileHeld = ledgerGaps();
            assertThat(gapsWhileHeld).isGreaterThan(gapsBefore);
            // and then the held transaction commits, inside the deadline
            held.commit();
            assertThat(Duration.between(began, Instant.now())).as("held open within the 15 s deadline").isLessThan(Duration.ofSeconds(15));
        }

        // then: the donation is not skipped as a gap given up: it reaches its organisation's chain, and fills its gap
        assertThat(api.ledger(org.id(), chain -> chain.size() == 1)).extracting(LedgerEntry::amount).containsExactly(4_200L);
        await().atMost(Duration.ofSeconds(30)).until(this::ledgerGaps, gaps -> gaps < gapsWhileHeld);
    }

    @Test
    void aTokenCarryingMoreGapsThanPostgresCanBindStillReadsTheEventsInThem() throws Exception {
        // given: a committed event, and a token that carries its index as a gap among 70,000 (more than the
        // 65,535 bind parameters PostgreSQL's protocol allows one statement, which Axon's own read needs)
        String eventId;
        try (Connection connection = stack.app()) {
            eventId = probe(connection, Instant.now());
        }
        long index = api.count("SELECT global_index FROM domain_event_entry WHERE event_identifier = ?", eventId);
        java.util.SortedSet<Long> gaps = new java.util.TreeSet<>();
        gaps.add(index);
        for (long gap = index + 1; gaps.size() < 70_000; gap++) {
            gaps.add(gap);
        }
        GapAwareTrackingToken token = GapAwareTrackingToken.newInstance(index + 100_000, gaps);
        EventStorageEngine engine = stack.apps().query().getBean(EventStorageEngine.class);

        // when: a processor holding it reads on
        try (java.util.stream.Stream<? extends TrackedEventMessage<?>> events = engine.readEvents(token, false)) {
            // then: the event in the first gap comes first
            assertThat(events.findFirst()).map(TrackedEventMessage::getIdentifier).contains(eventId);
        }
    }

    /** The gauge amply.processor.gaps of the ledger: the most gaps one of its segments' tokens carries. */
    private long ledgerGaps() {
        return Http.text(stack.apps().queryManagementUrl() + "/prometheus").lines()
                .filter(line -> line.startsWith("amply_processor_gaps{") && line.contains("processor=\"ledger\""))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).max().orElseThrow();
    }

    @Test
    void eventsCreatedLongerThanFifteenSecondsBeforeTheirCommitAreRefusedAndNothingIsStored() throws Exception {
        // given: a transaction appending an event created 20 s ago (its command held up before it reached the store)
        String eventId;
        try (Connection late = stack.app()) {
            late.setAutoCommit(false);
            eventId = probe(late, Instant.now().minusSeconds(20));

            // when / then: the insert is accepted, the commit refused, as a transaction timeout
            assertThatThrownBy(late::commit).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("25P04"))
                    .hasMessageContaining("too long ago to commit");
        }
        // and nothing of it was stored
        assertThat(api.count("SELECT count(*) FROM domain_event_entry WHERE event_identifier = ?", eventId)).isZero();
    }

    @Test
    void theDeadlineIsCheckedAtCommitOnlyAndATransactionThatMovesItIsRefused() throws Exception {
        try (Connection app = stack.app()) {
            // given / when / then: the check moved to the insert (until 2026-11-29 it passed there, and the transaction
            // could then wait past the deadline and commit its events after the processors had given them up)
            for (String moved : List.of("SET CONSTRAINTS ALL IMMEDIATE", "SET CONSTRAINTS domain_event_entry_commit_deadline IMMEDIATE")) {
                app.setAutoCommit(false);
                execute(app, moved);
                assertThatThrownBy(() -> probe(app, Instant.now())).as(moved).isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("55000"))
                        .hasMessageContaining("outside a COMMIT");
                app.rollback();
            }
            // while an event appended in a transaction committed with COMMIT goes in, and one outside a transaction
            // block (the driver's implicit commit, at its Sync)
            app.setAutoCommit(false);
            String committed = probe(app, Instant.now());
            app.commit();
            app.setAutoCommit(true);
            String implicit = probe(app, Instant.now());
            assertThat(api.count("SELECT count(*) FROM domain_event_entry WHERE event_identifier IN (?, ?)", committed,
                    implicit)).isEqualTo(2);
        }
    }

    @Test
    void aCommitCannotGoOnPastTheDeadlineCheckOnAHoldableCursorNorOnATriggerOfItsOwn() throws Exception {
        try (Connection app = stack.app()) {
            // given / when / then: a holdable cursor, which a COMMIT runs to its end after its deferred checks (one
            // waiting on a lock held the commit, and its events' visibility, for as long as the lock was held)
            app.setAutoCommit(false);
            probe(app, Instant.now());
            execute(app, "DECLARE held CURSOR WITH HOLD FOR SELECT 1");
            assertThatThrownBy(app::commit).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("55000"))
                    .hasMessageContaining("holdable cursor");
            app.setAutoCommit(true);

            // and no temporary table to hang a deferred trigger of its own on, to run after the check (V50)
            assertThatThrownBy(() -> execute(app, "CREATE TEMPORARY TABLE slow (x int)")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("permission denied to create temporary tables");
        }
        // and the deadline is the only deferrable check of the schema: another one (a deferrable key, say) could wait
        // on another session's lock at COMMIT after it
        assertThat(api.count("""
                SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = 'public' AND t.tgdeferrable AND t.tgname <> 'domain_event_entry_commit_deadline'""")).isZero();
        assertThat(api.count("""
                SELECT count(*) FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace
                 WHERE n.nspname = 'public' AND k.condeferrable AND k.conname <> 'domain_event_entry_commit_deadline'""")).isZero();
    }

    @Test
    void aTransactionOpenLongerThanTheLimitIsRefusedAtCommitAndASessionCannotRaiseTheLimit() throws Exception {
        // given: a session that lowered its own limit to a microsecond, less than any transaction takes from its
        // first statement to its commit, and a fresh event appended in its transaction
        try (Connection slow = stack.app()) {
            slow.setAutoCommit(false);
            execute(slow, "SET LOCAL amply.event_commit_limit = '1us'");
            probe(slow, Instant.now());

            // when / then: the transaction is too old by the time it commits
            assertThatThrownBy(slow::commit).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("25P04"));
        }
        // and a session that tried to raise it to an hour is still held to 15 s
        try (Connection raised = stack.app()) {
            raised.setAutoCommit(false);
            execute(raised, "SET LOCAL amply.event_commit_limit = '1h'");
            probe(raised, Instant.now().minusSeconds(20));
            assertThatThrownBy(raised::commit).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("25P04"));
        }
    }

    @Test
    void aDonationHeldUpPastTheDeadlineIsAnswered429AndNothingOfItIsStored() throws Exception {
        // given: a command node whose sessions allow events a microsecond (as if each had been held up for 15 s)
        Api.Organisation org = api.organisation(Api.admin(), "EUR");
        try (ConfigurableApplicationContext node = stack.commandNode("jdbc:postgresql://localhost:" + stack.postgres.primaryPort()
                + "/" + AmplyDatabase.NAME + "?options=-c%20amply.event_commit_limit%3D1us")) {
            String nodeUrl = "http://localhost:" + node.getEnvironment().getProperty("local.server.port");
            long events = api.eventCount();

            // when
            Http.Response response = Http.post(nodeUrl + "/v1/donations", Api.admin(), """
                    {"organisation_id": "%s", "fund_id": "%s", "amount": 900, "currency": "EUR",
                     "payment": {"method": "bank_transfer", "reference": "BACS late"}}""".formatted(org.id(), org.generalFund()));

            // then: refused at its commit, to be sent again, and nothing of it stored
            assertThat(response.status()).as(response.raw()).isEqualTo(429);
            assertThat(response.headers().firstValue("Retry-After")).contains("1");
            assertThat(response.body().at("/error/message").asText()).contains("held up too long").contains("nothing of it was written");
            assertThat(api.eventCount()).isEqualTo(events);
            assertThat(api.count("SELECT count(*) FROM donations WHERE organisation_id = ?", org.id())).isZero();
        }
    }

    private static String donationReceived(String donationId, Api.Organisation org, long amount) {
        return """
                {"donationId":"%s","organisationId":"%s","fundId":"%s","campaignId":null,"amount":%d,"currency":"EUR",\
                "feeAmount":0,"feeChargedBy":null,"paymentMethod":"bank_transfer","paymentReference":"P","visibility":"public_full",\
                "businessId":null}""".formatted(donationId, org.id(), org.generalFund(), amount);
    }

    private static String probe(Connection connection, Instant createdAt) throws SQLException {
        return insert(connection, Tenants.newId("probe_"), PROBE, "{}", createdAt);
    }

    /** Appends one event as the application does; returns its id. */
    private static String insert(Connection connection, String aggregateId, String payloadType, String payload,
                                 Instant createdAt) throws SQLException {
        String eventId = UUID.randomUUID().toString();
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type, time_stamp,
                                                payload_type, payload_revision, payload, meta_data)
                VALUES (?, ?, 0, ?, ?, ?, '1', ?, ?)""")) {
            insert.setString(1, eventId);
            insert.setString(2, aggregateId);
            insert.setString(3, PROBE.equals(payloadType) ? "Probe" : "Donation");
            insert.setString(4, createdAt.toString());
            insert.setString(5, payloadType);
            insert.setBytes(6, payload.getBytes(StandardCharsets.UTF_8));
            insert.setBytes(7, "{}".getBytes(StandardCharsets.UTF_8));
            insert.executeUpdate();
        }
        return eventId;
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
