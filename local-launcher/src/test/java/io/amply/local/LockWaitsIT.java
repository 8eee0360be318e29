package io.amply.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.amply.local.Api.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A command that waits for another transaction's locks gives up after the command side's lock
 * timeout instead of holding its request (and its client) for as long as the other takes, and is
 * answered 429 {@code rate_limit_exceeded} with {@code Retry-After}: nothing of it was written and
 * sending it again is safe, even with the same {@code Idempotency-Key}.
 */
class LockWaitsIT {

    /** The command side's {@code amply.donations.lanes} (its default): donations are put in lanes by their fund id's hash. */
    private static final int LANES = 256;

    /** A user who is given a role in each test's organisation, and loses it or has it lowered. */
    private static final String MEMBER_ID = "usr_lockwaits";
    private static final String MEMBER = "sk_test_lockwaits_member_1";

    private final TestStack stack = TestStack.get();
    private final Api api = new Api(stack);

    @BeforeAll
    static void member() throws SQLException {
        AmplyDatabase.ensureUser(TestStack.get().database, MEMBER_ID, "lockwaits@example.org", "Member", null,
                "key_lockwaits", MEMBER);
    }

    @Test
    void theCommandSidesConnectionsCarryALockTimeout() throws SQLException {
        // given
        DataSource pool = stack.apps().command().getBean(DataSource.class);

        // when
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            // then: the test stack's lock timeout, and no statement timeout (command-side.yml's default: off)
            assertThat(setting(statement, "lock_timeout")).isEqualTo(TestStack.LOCK_TIMEOUT);
            assertThat(setting(statement, "statement_timeout")).isEqualTo("0");
        }

    }

    @Test
    void aDonationToAFundAnotherTransactionHoldsIsAnsweredRetryablyWritesNothingAndGoesThroughWhenSentAgain() throws Exception {
        // given: the fund's row held by another transaction, as a stuck or very slow writer would hold it
        Api.Organisation org = api.organisation(admin(), "GBP");
        String donation = """
                {"organisation_id": "%s", "fund_id": "%s", "amount": 700, "currency": "GBP",
                 "payment": {"method": "bank_transfer", "reference": "BACS 700"}}""".formatted(org.id(), org.generalFund());
        Map<String, String> key = Map.of("Idempotency-Key", "held-" + org.id());
        Http.Response busy;
        try (Connection holder = stack.app()) {
            hold(holder, org.id(), "UPDATE funds SET balance = balance WHERE id = ?", org.generalFund());

            // when
            busy = within(() -> Http.post(api.url("/v1/donations"), admin(), donation, key));
            holder.rollback();
        }

        // then
        assertThat(busy.status()).as(busy.raw()).isEqualTo(429);
        assertThat(busy.body().at("/error/code").asText()).isEqualTo("rate_limit_exceeded");
        assertThat(busy.body().at("/error/message").asText()).contains("nothing of it was written");
        assertThat(busy.headers().firstValue("Retry-After")).contains("1");
        assertThat(api.balance(org.generalFund())).isZero();
        assertThat(api.count("SELECT count(*) FROM donations WHERE organisation_id = ?", org.id())).isZero();

        // and when sent again with the same key, the fund free: recorded, not the 429 replayed
        Http.Response again = Http.post(api.url("/v1/donations"), admin(), donation, key);
        assertThat(again.status()).as(again.raw()).isEqualTo(201);
        assertThat(again.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(api.balance(org.generalFund())).isEqualTo(700);
    }

    @Test
    void aFundWhoseRowIsHeldFailsNeitherTheOtherFundsDonationsInItsBatchNorItsOwnOneByOne() throws Exception {
        // given: two funds whose donations share a lane, so are recorded in the same batches, the first one's row held
        Api.Organisation org = api.organisation(admin(), "GBP");
        Map<Integer, String> byLane = new HashMap<>();
        String held = null;
        String other = null;
        while (held == null) {
            String fund = api.ok("/v1/organisations/" + org.id() + "/funds", admin(),
                    "{\"name\": \"Appeal\", \"type\": \"project\", \"currency\": \"GBP\"}").get("id").asText();
            held = byLane.putIfAbsent(Math.floorMod(fund.hashCode(), LANES), fund);
            other = fund;
        }
        MeterRegistry meters = stack.apps().command().getBean(MeterRegistry.class);
        Counter rolledBack = meters.counter("amply.donations.batch.rolled.back");
        Counter gaveUp = meters.counter("amply.donations.gave.up");
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try (Connection holder = stack.app()) {
            long pid = hold(holder, org.id(), "UPDATE funds SET balance = balance WHERE id = ?", held);
            Future<Http.Response> first = pool.submit(donation(org.id(), held));
            await().atMost(Duration.ofSeconds(30)).until(() -> api.count(
                    "SELECT count(*) FROM pg_stat_activity WHERE " + pid + " = ANY (pg_blocking_pids(pid))") > 0);
            double rolledBackBefore = rolledBack.count();
            double gaveUpBefore = gaveUp.count();

            // when: while the first donation waits for the row, three more to that fund and one to the other queue behind it
            List<Future<Http.Response>> toHeld = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                toHeld.add(pool.submit(donation(org.id(), held)));
            }
            Future<Http.Response> toOther = pool.submit(donation(org.id(), other));
            await().atMost(Duration.ofSeconds(30)).until(() -> meters.get("amply.donations.queued").gauge().value() == 4);

            // then: the other fund's donation is recorded; the held fund's are refused to be retried, together
            assertThat(toOther.get(2, TimeUnit.MINUTES).status()).isEqualTo(201);
            assertThat(first.get(2, TimeUnit.MINUTES).status()).isEqualTo(429);
            for (Future<Http.Response> refused : toHeld) {
                assertThat(refused.get(2, TimeUnit.MINUTES).status()).isEqualTo(429);
            }
            // split once by fund, and the held fund's three answered together, not tried one by one, each
            // waiting out the timeout again
            assertThat(rolledBack.count() - rolledBackBefore).isEqualTo(1.0);
            assertThat(gaveUp.count() - gaveUpBefore).isEqualTo(4.0);
            holder.rollback();
        } finally {
            pool.shutdownNow();
        }
        assertThat(api.balance(other)).isEqualTo(700);
        assertThat(api.balance(held)).isZero();
    }

    @Test
    void aCredentialThatCannotBeLookedUpForLocksIsAnsweredInTheApisFormat() throws Exception {
        // given: the API keys' table locked whole (a migration would, say), so the credential's look-up waits
        MeterRegistry meters = stack.apps().command().getBean(MeterRegistry.class);
        long answered429 = requests(meters, "429");
        long answered500 = requests(meters, "500");
        Http.Response busy;
        try (Connection owner = stack.owner()) {
            owner.setAutoCommit(false);
            try (Statement lock = owner.createStatement()) {
                lock.execute("LOCK TABLE api_keys IN ACCESS EXCLUSIVE MODE");
            }

            // when: the look-up fails in a filter, before any controller
            busy = within(() -> Http.get(api.url("/v1/users/me"), admin()));
            owner.rollback();
        }

        // then: the API's error, not the servlet container's error page
        assertThat(busy.status()).as(busy.raw()).isEqualTo(429);
        assertThat(busy.body().at("/error/code").asText()).isEqualTo("rate_limit_exceeded");
        assertThat(busy.headers().firstValue("Retry-After")).contains("1");
        assertThat(busy.headers().firstValue("X-Request-Id").orElseThrow()).startsWith("req_");
        // and the request metrics say what the client was told (an on-call engineer's 5xx alert must not fire)
        // (recorded as the filter chain unwinds, which may be just after the client has its answer)
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Map.of(
                        "429", requests(meters, "429") - answered429, "500", requests(meters, "500") - answered500))
                .as("requests recorded by status").isEqualTo(Map.of("429", 1L, "500", 0L)));
        assertThat(Http.get(api.url("/v1/users/me"), admin()).status()).isEqualTo(200);
    }

    /** Requests the command side's {@code http.server.requests} timer has recorded with that status. */
    private static long requests(MeterRegistry meters, String status) {
        return meters.find("http.server.requests").tag("status", status).timers().stream()
                .mapToLong(Timer::count).sum();
    }

    @Test
    void readingAProjectDoesNotWaitForAChangeOfIt() throws Exception {
        // given: a project whose row another transaction is changing
        Api.Organisation org = api.organisation(admin(), "GBP");
        String project = api.ok("/v1/organisations/" + org.id() + "/projects", admin(), """
                {"fund_id": "%s", "name": "Wells", "budget_amount": 10000, "currency": "GBP"}""".formatted(org.generalFund()))
                .get("id").asText();
        Http.Response read;
        try (Connection holder = stack.app()) {
            hold(holder, org.id(), "UPDATE projects SET status = status WHERE id = ?", project);

            // when
            read = within(() -> Http.get(api.url("/v1/projects/" + project), admin()));
            holder.rollback();
        }

        // then: answered from the row as last committed (it took a share lock once, and waited)
        assertThat(read.status()).as(read.raw()).isEqualTo(200);
        assertThat(read.body().at("/data/status").asText()).isEqualTo("planning");
    }

    @Test
    void transfersBetweenTwoFundsInBothDirectionsAtOnceAreRecordedOrRefusedRetryablyAndMoveExactlyWhatTheySay()
            throws Exception {
        // given: two funds with money, and transfers each way sent at the same moment, which lock the
        // two funds in opposite orders
        Api.Organisation org = api.organisation(admin(), "GBP");
        String other = api.ok("/v1/organisations/" + org.id() + "/funds", admin(),
                "{\"name\": \"Winter appeal\", \"type\": \"restricted\", \"currency\": \"GBP\"}").get("id").asText();
        api.receive(admin(), org.id(), org.generalFund(), 100_000, "GBP", 0);
        api.receive(admin(), org.id(), other, 100_000, "GBP", 0);
        String transfer = """
                {"organisation_id": "%s", "from_fund_id": "%s", "to_fund_id": "%s", "amount": 100, "currency": "GBP"}""";
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Integer>> there = new ArrayList<>();
        List<Future<Integer>> back = new ArrayList<>();
        try {
            // when
            for (int i = 0; i < 40; i++) {
                there.add(pool.submit(() -> Http.post(api.url("/v1/transfers"), admin(),
                        transfer.formatted(org.id(), org.generalFund(), other)).status()));
                back.add(pool.submit(() -> Http.post(api.url("/v1/transfers"), admin(),
                        transfer.formatted(org.id(), other, org.generalFund())).status()));
            }
            // then: each recorded, or refused as contention (never a failure of ours), and the balances say which
            long thereRecorded = recorded(there);
            long backRecorded = recorded(back);
            assertThat(api.balance(org.generalFund())).isEqualTo(100_000 - 100 * thereRecorded + 100 * backRecorded);
            assertThat(api.balance(other)).isEqualTo(100_000 + 100 * thereRecorded - 100 * backRecorded);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anExpenseUnderWayWhenItsOrganisationIsSuspendedIsRecordedBeforeTheSuspensionNeverAfterIt() throws Exception {
        Api.Organisation org = api.organisation(admin(), "GBP");
        api.receive(admin(), org.id(), org.generalFund(), 5_000, "GBP", 0);
        movementUnderWayGoesFirst(org, admin(), "/v1/expenses", expense(org), suspension(org), 409, "conflict");
        assertThat(api.balance(org.generalFund())).isEqualTo(3_800);
    }

    @Test
    void aDonationUnderWayWhenItsOrganisationIsSuspendedIsRecordedBeforeTheSuspensionNeverAfterIt() throws Exception {
        Api.Organisation org = api.organisation(admin(), "GBP");
        movementUnderWayGoesFirst(org, admin(), "/v1/donations", received(org), suspension(org), 409, "conflict");
        assertThat(api.balance(org.generalFund())).isEqualTo(700);
    }

    @Test
    void anExpenseUnderWayWhenItsAuthorsRoleIsRemovedIsRecordedBeforeTheRemovalNeverAfterIt() throws Exception {
        Api.Organisation org = api.organisation(admin(), "GBP");
        api.receive(admin(), org.id(), org.generalFund(), 5_000, "GBP", 0);
        api.ok("/v1/organisations/" + org.id() + "/memberships", admin(), "{\"user_id\": \"" + MEMBER_ID + "\", \"role\": \"finance\"}");
        movementUnderWayGoesFirst(org, MEMBER, "/v1/expenses", expense(org), removal(org), 403, "authorization_error");
        assertThat(api.balance(org.generalFund())).isEqualTo(3_800);
    }

    @Test
    void aDonationUnderWayWhenItsAuthorsRoleIsLoweredIsRecordedBeforeTheChangeNeverAfterIt() throws Exception {
        Api.Organisation org = api.organisation(admin(), "GBP");
        String asFinance = "{\"user_id\": \"" + MEMBER_ID + "\", \"role\": \"%s\"}";
        api.ok("/v1/organisations/" + org.id() + "/memberships", admin(), asFinance.formatted("finance"));
        movementUnderWayGoesFirst(org, MEMBER, "/v1/donations", received(org),
                () -> api.post("/v1/organisations/" + org.id() + "/memberships", admin(), asFinance.formatted("viewer")),
                403, "authorization_error");
        assertThat(api.balance(org.generalFund())).isEqualTo(700);
    }

    @Test
    void aDonationUnderWayWhenItsCampaignIsCancelledIsRecordedBeforeTheCancellationNeverAfterIt() throws Exception {
        Api.Organisation org = api.organisation(admin(), "GBP");
        String campaign = api.ok("/v1/organisations/" + org.id() + "/campaigns", admin(), """
                {"fund_id": "%s", "name": "Winter appeal", "goal_amount": 100000, "currency": "GBP"}""".formatted(org.generalFund()))
                .get("id").asText();
        api.ok("/v1/campaigns/" + campaign + "/activate", admin(), "");
        String toCampaign = """
                {"organisation_id": "%s", "fund_id": "%s", "amount": 700, "currency": "GBP", "campaign_id": "%s",
                 "payment": {"method": "bank_transfer", "reference": "BACS 700"}}""".formatted(org.id(), org.generalFund(), campaign);
        movementUnderWayGoesFirst(org, admin(), "/v1/donations", toCampaign,
                () -> api.post("/v1/campaigns/" + campaign + "/cancel", admin(), "{\"reason\": \"called off\"}"), 409, "conflict");
        // the donation counted towards the campaign before it was cancelled
        JsonNode cancelled = api.get("/v1/campaigns/" + campaign, admin()).body().get("data");
        assertThat(cancelled.get("status").asText()).isEqualTo("cancelled");
        assertThat(cancelled.get("raised_amount").asLong()).isEqualTo(700);
    }

    @Test
    void aCampaignsActivationUnderWayWhenItsOrganisationIsSuspendedIsRecordedBeforeTheSuspensionNeverAfterIt() throws Exception {
        Api.Organisation org = api.organisation(admin(), "GBP");
        String campaign = draftCampaign(org);
        String another = draftCampaign(org);
        underWayGoesFirst(org, "UPDATE campaigns SET status = status WHERE id = ?", campaign, "UPDATE campaigns", admin(),
                "/v1/campaigns/" + campaign + "/activate", "", suspension(org), 409, "conflict");
        assertThat(api.get("/v1/campaigns/" + campaign, admin()).body().get("data").get("status").asText()).isEqualTo("active");
        // and no other campaign of the suspended organisation starts
        assertThat(api.refused("/v1/campaigns/" + another + "/activate", admin(), "", 409, "conflict").get("message").asText())
                .contains("suspended");
    }

    @Test
    void aCampaignsCreationUnderWayWhenItsOrganisationIsSuspendedIsRecordedBeforeTheSuspensionNeverAfterIt() throws Exception {
        Api.Organisation org = api.organisation(admin(), "GBP");
        // (held where it reads its fund under a share lock, after the gate)
        underWayGoesFirst(org, "UPDATE funds SET balance = balance WHERE id = ?", org.generalFund(), "SELECT %FROM funds f%FOR SHARE",
                admin(), "/v1/organisations/" + org.id() + "/campaigns", """
                        {"fund_id": "%s", "name": "Autumn appeal", "goal_amount": 100000, "currency": "GBP"}""".formatted(org.generalFund()),
                suspension(org), 409, "conflict");
        assertThat(api.count("SELECT count(*) FROM campaigns WHERE organisation_id = ?", org.id())).isOne();
    }

    @Test
    void aFundsOpeningUnderWayWhenItsOrganisationIsSuspendedIsRecordedBeforeTheSuspensionNeverAfterIt() throws Exception {
        Api.Organisation org = api.organisation(admin(), "GBP");
        // (held where the new fund's row checks its organisation's, which FOR UPDATE keeps from it, after the gate)
        underWayGoesFirst(org, "SELECT 1 FROM organisations WHERE id = ? FOR UPDATE", org.id(), "INSERT INTO funds", admin(),
                "/v1/organisations/" + org.id() + "/funds", "{\"name\": \"Winter fund\", \"type\": \"project\", \"currency\": \"GBP\"}",
                suspension(org), 409, "conflict");
        assertThat(api.count("SELECT count(*) FROM funds WHERE organisation_id = ?", org.id())).isEqualTo(2); // and the General Fund
    }

    @Test
    void aProjectsActivationUnderWayWhenItsOrganisationIsSuspendedIsRecordedBeforeTheSuspensionNeverAfterIt() throws Exception {
        Api.Organisation org = api.organisation(admin(), "GBP");
        String project = api.ok("/v1/organisations/" + org.id() + "/projects", admin(), """
                {"fund_id": "%s", "name": "Clinic", "budget_amount": 5000, "currency": "GBP"}""".formatted(org.generalFund()))
                .get("id").asText();
        underWayGoesFirst(org, "UPDATE projects SET status = status WHERE id = ?", project, "UPDATE projects", admin(),
                "/v1/projects/" + project + "/activate", "", suspension(org), 409, "conflict");
        assertThat(api.get("/v1/projects/" + project, admin()).body().get("data").get("status").asText()).isEqualTo("active");
    }

    @Test
    void aDonationsCompletionAndItsFailureSentTogetherAreTakenOneAfterTheOtherAndNeitherGivesUp() throws Exception {
        // given: a pending donation, and the event store held so that its completion, once it holds the donation,
        // waits at its events
        Api.Organisation org = api.organisation(admin(), "GBP");
        String donation = api.ok("/v1/donations", admin(), """
                {"organisation_id": "%s", "fund_id": "%s", "amount": 700, "currency": "GBP"}""".formatted(org.id(), org.generalFund()))
                .get("id").asText();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Http.Response> completed;
            Future<Http.Response> failed;
            try (Connection holder = stack.superuser()) {
                holder.setAutoCommit(false);
                try (Statement statement = holder.createStatement()) {
                    statement.execute("LOCK TABLE domain_event_entry IN SHARE MODE");
                }
                completed = pool.submit(() -> api.post("/v1/donations/" + donation + "/complete", admin(),
                        "{\"method\": \"bank_transfer\", \"reference\": \"BACS 700\"}"));
                await().atMost(Duration.ofSeconds(30)).until(() -> blockedOn("INSERT INTO domain_event_entry") == 1);

                // when: its failure is sent meanwhile
                failed = pool.submit(() -> api.post("/v1/donations/" + donation + "/fail", admin(), "{\"reason\": \"never came\"}"));
                // (it waits for the donation's row, which the completion holds. Until 2026-11-29 the completion took the
                // aggregate without the row: the failure took the row and waited for the aggregate, and the completion
                // then waited for the row until its lock timeout gave it up, a 429. Both within the completion's lock
                // timeout, 5 s; the statement sent after the organisation's setting begins with a line break)
                Diagnostics.await(Duration.ofSeconds(4), () -> api.count("""
                        SELECT count(*) FROM pg_stat_activity
                         WHERE (wait_event_type = 'Lock' AND query LIKE '%SELECT id FROM donations%')
                            OR (state = 'idle in transaction' AND query LIKE '%UPDATE donations SET failure_reason%')""") == 1,
                        () -> Diagnostics.sessions(stack));
                holder.rollback();
            }

            // then: the completion is recorded, and the failure, taken after it, refused as out of date
            Http.Response completion = completed.get(1, TimeUnit.MINUTES);
            Http.Response failure = failed.get(1, TimeUnit.MINUTES);
            assertThat(completion.status()).as(completion.raw()).isEqualTo(200);
            assertThat(failure.status()).as(failure.raw()).isEqualTo(409);
            assertThat(failure.body().at("/error/message").asText()).contains("completed");
            JsonNode recorded = api.get("/v1/donations/" + donation, admin()).body().get("data");
            assertThat(recorded.get("status").asText()).isEqualTo("completed");
            assertThat(recorded.get("failure_reason").isNull()).isTrue();
            assertThat(api.balance(org.generalFund())).isEqualTo(700);
        } finally {
            pool.shutdownNow();
        }
    }

    private String draftCampaign(Api.Organisation org) {
        return api.ok("/v1/organisations/" + org.id() + "/campaigns", admin(), """
                {"fund_id": "%s", "name": "Spring appeal", "goal_amount": 100000, "currency": "GBP"}""".formatted(org.generalFund()))
                .get("id").asText();
    }

    private static String expense(Api.Organisation org) {
        return """
                {"organisation_id": "%s", "fund_id": "%s", "amount": 1200, "currency": "GBP", "category": "programs",
                 "recipient_type": "supplier"}""".formatted(org.id(), org.generalFund());
    }

    private static String received(Api.Organisation org) {
        return """
                {"organisation_id": "%s", "fund_id": "%s", "amount": 700, "currency": "GBP",
                 "payment": {"method": "bank_transfer", "reference": "BACS 700"}}""".formatted(org.id(), org.generalFund());
    }

    private java.util.concurrent.Callable<Http.Response> suspension(Api.Organisation org) {
        return () -> api.post("/v1/organisations/" + org.id() + "/suspend", admin(), "{\"reason\": \"under investigation\"}");
    }

    private java.util.concurrent.Callable<Http.Response> removal(Api.Organisation org) {
        return () -> Http.delete(api.url("/v1/organisations/" + org.id() + "/memberships/" + MEMBER_ID), admin());
    }

    /**
     * A money movement past its checks, held at its fund's row while {@code change} (a suspension, a role
     * removed or lowered) is sent: the change waits for it and it goes first (until 2026-11-28 the
     * suspension's and the role's checks each ran in a transaction of their own, so the change committed at
     * once and the movement was recorded after it); the same movement sent after the change is refused.
     */
    private void movementUnderWayGoesFirst(Api.Organisation org, String caller, String path, String body,
                                           java.util.concurrent.Callable<Http.Response> change,
                                           int refusedStatus, String refusedCode) throws Exception {
        underWayGoesFirst(org, "UPDATE funds SET balance = balance WHERE id = ?", org.generalFund(), "UPDATE funds", caller,
                path, body, change, refusedStatus, refusedCode);
    }

    /**
     * The same for any request past its checks, held at the row {@code held} (an {@code UPDATE … WHERE id = ?})
     * changes, where it waits in a statement that begins as {@code waitsAt} (a {@code LIKE} pattern).
     */
    private void underWayGoesFirst(Api.Organisation org, String held, String heldId, String waitsAt, String caller, String path,
                                   String body, java.util.concurrent.Callable<Http.Response> change,
                                   int refusedStatus, String refusedCode) throws Exception {
        // given: the request held at a row it writes
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Http.Response> moved;
            Future<Http.Response> changed;
            boolean changedFirst;
            try (Connection holder = stack.app()) {
                hold(holder, org.id(), held, heldId);
                moved = pool.submit(() -> api.post(path, caller, body));
                await().atMost(Duration.ofSeconds(30)).until(() -> blockedOn(waitsAt) == 1);

                // when: the change is sent meanwhile, then the fund's row is free again
                changed = pool.submit(change);
                // (it waits to close the organisation's gate, which the movement passed: OrganisationGate)
                await().atMost(Duration.ofSeconds(30)).until(() -> changed.isDone() || blockedOn("SELECT pg_advisory_xact_lock(") == 1);
                changedFirst = changed.isDone(); // committed while the movement could not yet commit
                holder.rollback();
            }

            // then: the change waited for the movement, which went first (a movement committed after it
            // would be money moved for a suspended organisation, or by someone no longer allowed to)
            Http.Response movement = moved.get(1, TimeUnit.MINUTES);
            Http.Response changeAnswer = changed.get(1, TimeUnit.MINUTES);
            assertThat(changeAnswer.status()).as(changeAnswer.raw()).isBetween(200, 299);
            assertThat(changedFirst).as("the change committed while the movement was under way").isFalse();
            assertThat(movement.status()).as(movement.raw()).isIn(200, 201);
            // and one sent now is refused
            api.refused(path, caller, body, refusedStatus, refusedCode);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Sessions waiting for a lock in a statement that begins with {@code statement}. */
    private long blockedOn(String statement) throws SQLException {
        return api.count("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE ?",
                statement + "%");
    }

    private static long recorded(List<Future<Integer>> statuses) throws Exception {
        long recorded = 0;
        for (Future<Integer> status : statuses) {
            int code = status.get(2, TimeUnit.MINUTES);
            assertThat(code).isIn(201, 429);
            recorded += code == 201 ? 1 : 0;
        }
        return recorded;
    }

    private java.util.concurrent.Callable<Http.Response> donation(String organisationId, String fundId) {
        return () -> Http.post(api.url("/v1/donations"), admin(), """
                {"organisation_id": "%s", "fund_id": "%s", "amount": 700, "currency": "GBP",
                 "payment": {"method": "bank_transfer", "reference": "BACS 700"}}""".formatted(organisationId, fundId));
    }

    /** Changes the row in a transaction left open, under the organisation's row-level-security context; returns the holder's pid. */
    private static long hold(Connection holder, String organisationId, String update, String id) throws SQLException {
        holder.setAutoCommit(false);
        try (PreparedStatement context = holder.prepareStatement("SELECT amply_set_org(?), pg_backend_pid()");
             PreparedStatement change = holder.prepareStatement(update)) {
            context.setString(1, organisationId);
            long pid;
            try (ResultSet rs = context.executeQuery()) {
                rs.next();
                pid = rs.getLong(2);
            }
            change.setString(1, id);
            if (update.startsWith("SELECT")) { // a row lock taken by a read (… FOR UPDATE)
                try (ResultSet rs = change.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                }
            } else {
                assertThat(change.executeUpdate()).isOne();
            }
            return pid;
        }
    }

    /** The request's answer; a request that waits on for minutes fails the test instead of hanging it. */
    private static Http.Response within(java.util.concurrent.Callable<Http.Response> request) throws Exception {
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            return thread.submit(request).get(2, TimeUnit.MINUTES);
        } finally {
            thread.shutdownNow();
        }
    }

    private static String setting(Statement statement, String name) throws SQLException {
        try (ResultSet rs = statement.executeQuery("SHOW " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
