package io.amply.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.amply.ledger.hash.LedgerEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The command API over HTTP: every money movement, its rules, and what it leaves in the ledger. */
class CommandApiIT {

    private static final String MEMBER = "sk_test_commandapi_member_1";
    private static Api api;

    @BeforeAll
    static void start() throws SQLException {
        TestStack stack = TestStack.get();
        api = new Api(stack);
        AmplyDatabase.ensureUser(stack.database, "usr_cmdmember", "cmd-member@example.org", "Member", null,
                "key_cmdmember", MEMBER);
    }

    private static String admin() {
        return Api.admin();
    }

    @Test
    void aFundOpensWithRestrictionsAndClosesOnlyWhenEmpty() throws SQLException {
        // given
        Api.Organisation org = api.organisation(admin(), "EUR");
        JsonNode fund = api.ok("/v1/organisations/" + org.id() + "/funds", admin(), """
                {"name": "Wells in Kenya", "type": "restricted", "currency": "EUR",
                 "restrictions": {"purpose": "wells", "geography": "Kenya", "starts_on": "2026-01-01", "ends_on": "2026-12-31"}}""");
        String fundId = fund.get("id").asText();
        assertThat(fund.get("balance").asLong()).isZero();
        api.receive(admin(), org.id(), fundId, 500, "EUR", 0);

        // when / then: not while it holds money, and the refusal changes nothing
        long events = api.eventCount();
        api.refused("/v1/funds/" + fundId + "/close", admin(), "", 409, "conflict");
        assertThat(api.eventCount()).isEqualTo(events);
        assertThat(api.get("/v1/funds/" + fundId, admin()).body().at("/data/status").asText()).isEqualTo("open");
        api.ok("/v1/expenses", admin(), expense(org.id(), fundId, 500, "EUR"));
        JsonNode closed = api.ok("/v1/funds/" + fundId + "/close", admin(), "");
        assertThat(closed.get("status").asText()).isEqualTo("closed");
        api.refused("/v1/donations", admin(), received(org.id(), fundId, 100, "EUR"), 409, "conflict");
    }

    @Test
    void aFundTakesPledgesOnlyWithinItsRestrictionWindowAndMoneyThatArrivedIsBookedWhenever() {
        // given: an appeal that ended yesterday, one that starts tomorrow, and one running now
        Api.Organisation org = api.organisation(admin(), "GBP");
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        String funds = "/v1/organisations/" + org.id() + "/funds";
        String window = """
                {"name": "%s", "type": "restricted", "currency": "GBP", "restrictions": {"purpose": "flood relief", %s}}""";
        String ended = api.ok(funds, admin(), window.formatted("Ended", "\"ends_on\": \"" + today.minusDays(1) + "\""))
                .get("id").asText();
        String later = api.ok(funds, admin(), window.formatted("Later", "\"starts_on\": \"" + today.plusDays(1) + "\""))
                .get("id").asText();
        String running = api.ok(funds, admin(), window.formatted("Running",
                "\"starts_on\": \"" + today.minusDays(1) + "\", \"ends_on\": \"" + today.plusDays(1) + "\"")).get("id").asText();

        // when / then: outside its window a fund takes no pledge
        assertThat(api.refused("/v1/donations", admin(), pending(org.id(), ended, 100), 409, "conflict")
                .get("message").asText()).contains("restriction window", "to " + today.minusDays(1));
        api.refused("/v1/donations", admin(), pending(org.id(), later, 100), 409, "conflict");
        api.receive(admin(), org.id(), running, 100, "GBP", 0);
        String pledged = api.ok("/v1/donations", admin(), pending(org.id(), running, 250)).get("id").asText();
        assertThat(api.balance(later)).isZero();
        // but money that already arrived for the appeal (a late bank transfer) is booked
        api.receive(admin(), org.id(), ended, 70, "GBP", 0);
        assertThat(api.balance(ended)).isEqualTo(70);
        // and a pledged donation's money is booked when it arrives: completing is not checked against the window
        api.ok("/v1/donations/" + pledged + "/complete", admin(), "{\"method\": \"bank_transfer\", \"reference\": \"BACS 9\"}");
        assertThat(api.balance(running)).isEqualTo(350);
    }

    private static String pending(String org, String fund, long amount) {
        return """
                {"organisation_id": "%s", "fund_id": "%s", "amount": %d, "currency": "GBP"}""".formatted(org, fund, amount);
    }

    @Test
    void aPendingDonationCompletesThenIsRefundedInPartsButNeverBeyondWhatWasReceivedNorWhatItsFundHolds() throws SQLException {
        // given
        Api.Organisation org = api.organisation(admin(), "GBP");
        JsonNode pending = api.ok("/v1/donations", admin(), """
                {"organisation_id": "%s", "fund_id": "%s", "amount": 10000, "currency": "GBP",
                 "donor": {"name": "Ada Lovelace", "email": "ada@example.org"}}""".formatted(org.id(), org.generalFund()));
        String donation = pending.get("id").asText();
        assertThat(pending.get("status").asText()).isEqualTo("pending");

        // when
        api.ok("/v1/donations/" + donation + "/complete", admin(),
                "{\"method\": \"bank_transfer\", \"reference\": \"BACS 77\", \"fee_amount\": 120, \"fee_charged_by\": \"bank\"}");
        api.ok("/v1/donations/" + donation + "/refund", admin(), "{\"amount\": 3000, \"reason\": \"asked by donor\"}");
        api.refused("/v1/donations/" + donation + "/refund", admin(), "{\"amount\": 7001, \"reason\": \"too much\"}", 409, "conflict");
        // the fund holds 6,880 after the bank's fee: the other 7,000 by hand would take it below zero
        long events = api.eventCount();
        JsonNode uncovered = api.refused("/v1/donations/" + donation + "/refund", admin(),
                "{\"amount\": 7000, \"reason\": \"rest\"}", 409, "conflict");
        assertThat(uncovered.get("message").asText()).contains("held to its fund's balance");
        assertThat(api.eventCount()).isEqualTo(events);
        assertThat(api.balance(org.generalFund())).isEqualTo(6880);
        assertThat(api.get("/v1/donations/" + donation, admin()).body().at("/data/refunded_amount").asLong()).isEqualTo(3000);
        api.receive(admin(), org.id(), org.generalFund(), 120, "GBP", 0); // money into the fund first
        JsonNode refunded = api.ok("/v1/donations/" + donation + "/refund", admin(), "{\"amount\": 7000, \"reason\": \"rest\"}");

        // then
        assertThat(refunded.get("status").asText()).isEqualTo("refunded");
        assertThat(refunded.get("refunded_amount").asLong()).isEqualTo(10000);
        assertThat(api.balance(org.generalFund())).isZero();
        List<LedgerEntry> chain = api.ledger(org.id(), c -> c.size() == 5);
        assertThat(chain).extracting(LedgerEntry::type)
                .containsExactly("donation_received", "fee", "donation_refunded", "donation_received", "donation_refunded");
        assertThat(chain).extracting(LedgerEntry::amount).containsExactly(10000L, -120L, -3000L, 120L, -7000L);
        assertThat(chain.get(2).metadata().get("original_entry_id").asText()).isEqualTo(chain.get(0).id());
        // the reason is an erasable note beside the entry, named by the hashed metadata
        assertThat(chain.get(2).metadata().has("reason")).isFalse();
        assertThat(api.membersLedger(org.id(), admin(), 5).get(2).get("note").asText()).isEqualTo("asked by donor");
        assertThat(chain.get(1).metadata().get("charged_by").asText()).isNotBlank();
        assertThat(chain.toString()).doesNotContain("Ada").doesNotContain("ada@example.org");
    }

    @Test
    void aRefundReasonWithQuotesBackslashesAndBracesReachesItsNoteUnchanged() {
        // given: what the ledger's writer must escape when it sends a batch as array literals
        String reason = "he said \"{NULL}\", paid twice \\ by mistake, 'ref' → 🙂 \\";
        Api.Organisation org = api.organisation(admin(), "GBP");
        String donation = api.ok("/v1/donations", admin(), """
                {"organisation_id": "%s", "fund_id": "%s", "amount": 900, "currency": "GBP"}""".formatted(org.id(), org.generalFund()))
                .get("id").asText();
        api.ok("/v1/donations/" + donation + "/complete", admin(), "{\"method\": \"bank_transfer\", \"reference\": \"BACS 78\"}");

        // when
        api.ok("/v1/donations/" + donation + "/refund", admin(),
                Http.JSON.createObjectNode().put("amount", 900).put("reason", reason).toString());

        // then
        List<LedgerEntry> chain = api.ledger(org.id(), c -> c.size() == 2);
        JsonNode refund = api.membersLedger(org.id(), admin(), 2).get(1);
        assertThat(refund.at("/metadata/note_id").asText()).isEqualTo(chain.get(1).metadata().get("note_id").asText());
        assertThat(refund.get("note").asText()).isEqualTo(reason);
    }

    @Test
    void aFailedDonationMovesNoMoneyAndLeavesNoEntry() throws SQLException {
        // given
        Api.Organisation org = api.organisation(admin(), "GBP");
        String donation = api.ok("/v1/donations", admin(), """
                {"organisation_id": "%s", "fund_id": "%s", "amount": 500, "currency": "GBP"}""".formatted(org.id(), org.generalFund()))
                .get("id").asText();

        // when
        JsonNode failed = api.ok("/v1/donations/" + donation + "/fail", admin(), "{\"reason\": \"card_declined\"}");

        // then
        assertThat(failed.get("status").asText()).isEqualTo("failed");
        api.refused("/v1/donations/" + donation + "/refund", admin(), "{\"amount\": 1, \"reason\": \"x\"}", 409, "conflict");
        assertThat(api.balance(org.generalFund())).isZero();
        api.receive(admin(), org.id(), org.generalFund(), 1, "GBP", 0); // a marker entry, so the ledger has caught up
        assertThat(api.ledger(org.id(), c -> c.size() == 1)).extracting(LedgerEntry::type).containsExactly("donation_received");
    }

    @Test
    void moneyThatArrivesForAClosedFundCanBeMovedOutOfIt() {
        // given: a donation pledged to a fund that was then closed at zero, whose money arrives afterwards
        Api.Organisation org = api.organisation(admin(), "GBP");
        String old = api.ok("/v1/organisations/" + org.id() + "/funds", admin(),
                "{\"name\": \"Appeal 2025\", \"type\": \"project\", \"currency\": \"GBP\"}").get("id").asText();
        String pledged = api.ok("/v1/donations", admin(), """
                {"organisation_id": "%s", "fund_id": "%s", "amount": 800, "currency": "GBP"}""".formatted(org.id(), old))
                .get("id").asText();
        api.ok("/v1/funds/" + old + "/close", admin(), "");
        api.ok("/v1/donations/" + pledged + "/complete", admin(), "{\"method\": \"bank_transfer\", \"reference\": \"BACS 9\"}");

        // when
        api.ok("/v1/transfers", admin(), """
                {"organisation_id": "%s", "from_fund_id": "%s", "to_fund_id": "%s", "amount": 800, "currency": "GBP"}"""
                .formatted(org.id(), old, org.generalFund()));

        // then: nothing left stranded, and the closed fund still spends nothing
        assertThat(api.balance(old)).isZero();
        assertThat(api.balance(org.generalFund())).isEqualTo(800);
        api.refused("/v1/expenses", admin(), expense(org.id(), old, 1, "GBP"), 409, "conflict");

        // and when that donation is refunded (by hand too: nothing could be moved into the closed fund first),
        // the closed fund (now −800) takes back what brings it to zero, no more
        api.ok("/v1/donations/" + pledged + "/refund", admin(), "{\"amount\": 800, \"reason\": \"asked\"}");
        String back = """
                {"organisation_id": "%s", "from_fund_id": "%s", "to_fund_id": "%s", "amount": %d, "currency": "GBP"}""";
        api.refused("/v1/transfers", admin(), back.formatted(org.id(), org.generalFund(), old, 801), 409, "conflict");
        api.ok("/v1/transfers", admin(), back.formatted(org.id(), org.generalFund(), old, 800));
        assertThat(api.balance(old)).isZero();
        api.refused("/v1/transfers", admin(), back.formatted(org.id(), org.generalFund(), old, 1), 409, "conflict");
    }

    @Test
    void aFailedDonationWhoseMoneyArrivesAfterAllIsCompletedOnce() throws SQLException {
        // given
        Api.Organisation org = api.organisation(admin(), "GBP");
        String donation = api.ok("/v1/donations", admin(), """
                {"organisation_id": "%s", "fund_id": "%s", "amount": 500, "currency": "GBP"}""".formatted(org.id(), org.generalFund()))
                .get("id").asText();
        JsonNode failed = api.ok("/v1/donations/" + donation + "/fail", admin(), "{\"reason\": \"no transfer within 30 days\"}");
        // (the reason stays on the donation, erasable with its donor, and out of the event Kafka keeps)
        assertThat(failed.get("failure_reason").asText()).isEqualTo("no transfer within 30 days");
        assertThat(api.count("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ? "
                + "AND convert_from(payload, 'UTF8') LIKE '%30 days%'", donation)).isZero();

        // when: the bank transfer arrives late
        JsonNode completed = api.ok("/v1/donations/" + donation + "/complete", admin(),
                "{\"method\": \"bank_transfer\", \"reference\": \"BACS late\"}");

        // then
        assertThat(completed.get("status").asText()).isEqualTo("completed");
        assertThat(completed.get("failure_reason").asText()).isEqualTo("no transfer within 30 days");
        api.refused("/v1/donations/" + donation + "/complete", admin(),
                "{\"method\": \"bank_transfer\", \"reference\": \"BACS late\"}", 409, "conflict");
        api.refused("/v1/donations/" + donation + "/fail", admin(), "{\"reason\": \"x\"}", 409, "conflict");
        assertThat(api.balance(org.generalFund())).isEqualTo(500);
        assertThat(api.ledger(org.id(), c -> c.size() == 1)).extracting(LedgerEntry::amount).containsExactly(500L);
    }

    @Test
    void expensesAreRecordedWithinTheBalanceAndRefusedBeyondIt() {
        // given
        Api.Organisation org = api.organisation(admin(), "USD");
        api.receive(admin(), org.id(), org.generalFund(), 5000, "USD", 0);

        // when
        api.refused("/v1/expenses", admin(), expense(org.id(), org.generalFund(), 5001, "USD"), 409, "conflict");
        api.ok("/v1/expenses", admin(), expense(org.id(), org.generalFund(), 4000, "USD"));

        // then
        assertThat(api.balance(org.generalFund())).isEqualTo(1000);
        List<LedgerEntry> chain = api.ledger(org.id(), c -> c.size() == 2);
        assertThat(chain.get(1).type()).isEqualTo("expense");
        assertThat(chain.get(1).amount()).isEqualTo(-4000);
        assertThat(chain.get(1).metadata().get("category").asText()).isEqualTo("programs");
    }

    @Test
    void anExpenseIsBookedOnlyOnAnOpenProjectOfItsFund() {
        // given: a project of the General Fund, a second fund, a cancelled project, another organisation's project
        Api.Organisation org = api.organisation(admin(), "GBP");
        Api.Organisation other = api.organisation(admin(), "GBP");
        api.receive(admin(), org.id(), org.generalFund(), 5000, "GBP", 0);
        String secondFund = api.ok("/v1/organisations/" + org.id() + "/funds", admin(),
                "{\"name\": \"Emergencies\", \"type\": \"emergency\", \"currency\": \"GBP\"}").get("id").asText();
        String wells = project(org.id(), org.generalFund(), "Wells");
        String ofSecondFund = project(org.id(), secondFund, "Shelter");
        String cancelled = project(org.id(), org.generalFund(), "Roof");
        api.ok("/v1/projects/" + cancelled + "/cancel", admin(), "");
        String foreign = project(other.id(), other.generalFund(), "Elsewhere");

        // when / then
        assertParam(api.refused("/v1/expenses", admin(), expense(org.id(), org.generalFund(), 100, "GBP", "proj_doesnotexist"),
                400, "invalid_request"), "project_id");
        assertParam(api.refused("/v1/expenses", admin(), expense(org.id(), org.generalFund(), 100, "GBP", foreign),
                400, "invalid_request"), "project_id");
        assertParam(api.refused("/v1/expenses", admin(), expense(org.id(), org.generalFund(), 100, "GBP", ofSecondFund),
                400, "invalid_request"), "project_id");
        api.refused("/v1/expenses", admin(), expense(org.id(), org.generalFund(), 100, "GBP", cancelled), 409, "conflict");
        api.ok("/v1/expenses", admin(), expense(org.id(), org.generalFund(), 1200, "GBP", wells));

        // then: only the last one moved money, and its entry names the project
        assertThat(api.balance(org.generalFund())).isEqualTo(3800);
        List<LedgerEntry> chain = api.ledger(org.id(), c -> c.size() == 2);
        assertThat(chain.get(1).type()).isEqualTo("expense");
        assertThat(chain.get(1).metadata().get("project_id").asText()).isEqualTo(wells);
    }

    @Test
    void anExpenseOnAProjectCompletedAtTheSameMomentIsRefused() throws Exception {
        // given: money, an active project, and its completion in flight (its row changed, not yet committed)
        Api.Organisation org = api.organisation(admin(), "GBP");
        api.receive(admin(), org.id(), org.generalFund(), 5000, "GBP", 0);
        String roof = project(org.id(), org.generalFund(), "Roof");
        api.ok("/v1/projects/" + roof + "/activate", admin(), "");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection completing = TestStack.get().superuser()) {
            completing.setAutoCommit(false);
            try (Statement statement = completing.createStatement()) {
                statement.execute("UPDATE projects SET status = 'completed' WHERE id = '" + roof + "'");
            }
            Future<Http.Response> expense = pool.submit(() ->
                    api.post("/v1/expenses", admin(), expense(org.id(), org.generalFund(), 100, "GBP", roof)));

            // when: the expense waits for the project's row, and the completion commits
            await().atMost(Duration.ofSeconds(30)).until(() -> api.count(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()") == 1);
            completing.commit();

            // then: it saw the project completed, and nothing was spent
            Http.Response refused = expense.get();
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.body().at("/error/message").asText()).contains("completed");
        } finally {
            pool.shutdownNow();
        }
        assertThat(api.balance(org.generalFund())).isEqualTo(5000);
    }

    @Test
    void aTransferBetweenOrganisationsWritesTransferOutAndTransferInWithOneReference() {
        // given
        Api.Organisation from = api.organisation(admin(), "EUR");
        Api.Organisation to = api.organisation(admin(), "EUR");
        api.receive(admin(), from.id(), from.generalFund(), 9000, "EUR", 0);

        // when
        JsonNode transfer = api.ok("/v1/transfers", admin(), """
                {"organisation_id": "%s", "from_fund_id": "%s", "to_organisation_id": "%s", "to_fund_id": "%s",
                 "amount": 2500, "currency": "EUR", "memo": "partner grant"}""".formatted(from.id(), from.generalFund(), to.id(), to.generalFund()));

        // then
        String transferId = transfer.get("id").asText();
        assertThat(api.balance(from.generalFund())).isEqualTo(6500);
        assertThat(api.balance(to.generalFund())).isEqualTo(2500);
        LedgerEntry out = api.ledger(from.id(), c -> c.size() == 2).get(1);
        LedgerEntry in = api.ledger(to.id(), c -> c.size() == 1).get(0);
        assertThat(out.type()).isEqualTo("transfer_out");
        assertThat(out.amount()).isEqualTo(-2500);
        assertThat(in.type()).isEqualTo("transfer_in");
        assertThat(in.amount()).isEqualTo(2500);
        assertThat(out.metadata().get("transfer_id").asText()).isEqualTo(transferId)
                .isEqualTo(in.metadata().get("transfer_id").asText());
    }

    @Test
    void aTransferBetweenOwnFundsMovesMoneyWithinTheOrganisation() {
        // given
        Api.Organisation org = api.organisation(admin(), "CHF");
        String emergency = api.ok("/v1/organisations/" + org.id() + "/funds", admin(),
                "{\"name\": \"Emergency\", \"type\": \"emergency\", \"currency\": \"CHF\"}").get("id").asText();
        api.receive(admin(), org.id(), org.generalFund(), 1000, "CHF", 0);

        // when
        api.ok("/v1/transfers", admin(), """
                {"organisation_id": "%s", "from_fund_id": "%s", "to_fund_id": "%s", "amount": 600, "currency": "CHF"}"""
                .formatted(org.id(), org.generalFund(), emergency));
        api.refused("/v1/transfers", admin(), """
                {"organisation_id": "%s", "from_fund_id": "%s", "to_fund_id": "%s", "amount": 401, "currency": "CHF"}"""
                .formatted(org.id(), org.generalFund(), emergency), 409, "conflict");

        // then
        assertThat(api.balance(org.generalFund())).isEqualTo(400);
        assertThat(api.balance(emergency)).isEqualTo(600);
        assertThat(api.ledger(org.id(), c -> c.size() == 3)).extracting(LedgerEntry::type)
                .containsExactly("donation_received", "fund_transfer_out", "fund_transfer_in");
    }

    @Test
    void aCorrectionIsANewEntryThatReferencesTheOriginal() {
        // given: an expense recorded twice by mistake, internal only
        Api.Organisation org = api.organisation(admin(), "GBP");
        api.receive(admin(), org.id(), org.generalFund(), 2000, "GBP", 0);
        api.ok("/v1/expenses", admin(), expense(org.id(), org.generalFund(), 500, "GBP").replace("{", "{\"visibility\": \"internal_only\", "));
        String original = api.ledger(org.id(), c -> c.size() == 2).get(1).id();

        // when
        api.ok("/v1/corrections", admin(), """
                {"organisation_id": "%s", "fund_id": "%s", "kind": "reversal", "corrects_entry_id": "%s",
                 "amount": 500, "currency": "GBP", "reason": "recorded twice"}""".formatted(org.id(), org.generalFund(), original));

        // then: the original untouched, the reversal beside it, shown as the entry it corrects
        List<LedgerEntry> chain = api.ledger(org.id(), c -> c.size() == 3);
        assertThat(chain.get(1).amount()).isEqualTo(-500);
        assertThat(chain.get(2).type()).isEqualTo("reversal");
        assertThat(chain.get(2).amount()).isEqualTo(500);
        assertThat(chain.get(2).visibility()).isEqualTo("internal_only");
        assertThat(chain.get(2).metadata().get("corrects_entry_id").asText()).isEqualTo(original);
        assertThat(api.balance(org.generalFund())).isEqualTo(2000);
    }

    @Test
    void aCorrectionStaysWithinWhatItsEntryMoved() throws SQLException {
        // given: a donation, an expense of 500 and a transfer between two funds
        Api.Organisation org = api.organisation(admin(), "GBP");
        api.receive(admin(), org.id(), org.generalFund(), 2000, "GBP", 0);
        api.ok("/v1/expenses", admin(), expense(org.id(), org.generalFund(), 500, "GBP"));
        String reserve = api.ok("/v1/organisations/" + org.id() + "/funds", admin(),
                "{\"name\": \"Reserve\", \"type\": \"general\", \"currency\": \"GBP\"}").get("id").asText();
        api.ok("/v1/transfers", admin(), """
                {"organisation_id": "%s", "from_fund_id": "%s", "to_fund_id": "%s", "amount": 300, "currency": "GBP"}"""
                .formatted(org.id(), org.generalFund(), reserve));
        List<LedgerEntry> chain = api.ledger(org.id(), c -> c.size() == 4);
        String donation = chain.get(0).id();
        String expense = chain.get(1).id();
        String transferOut = chain.get(2).id();
        String correction = """
                {"organisation_id": "%s", "fund_id": "%s", "kind": "%s", "corrects_entry_id": "%s",
                 "amount": %d, "currency": "GBP", "reason": "x"%s}""";
        api.ok("/v1/corrections", admin(), correction.formatted(org.id(), org.generalFund(), "adjustment", expense, 200, ""));

        // when / then: a donation and a transfer are not corrected, a reversal moves exactly what is left,
        // an adjustment stops at nothing, and a correction keeps its entry's visibility
        assertParam(api.refused("/v1/corrections", admin(), correction.formatted(org.id(), org.generalFund(), "reversal", donation, -2000, ""),
                400, "invalid_request"), "corrects_entry_id");
        assertParam(api.refused("/v1/corrections", admin(), correction.formatted(org.id(), org.generalFund(), "reversal", transferOut, 300, ""),
                400, "invalid_request"), "corrects_entry_id");
        assertParam(api.refused("/v1/corrections", admin(), correction.formatted(org.id(), org.generalFund(), "reversal", expense, 500, ""),
                400, "invalid_request"), "amount");
        assertParam(api.refused("/v1/corrections", admin(), correction.formatted(org.id(), org.generalFund(), "adjustment", expense, 301, ""),
                400, "invalid_request"), "amount");
        assertParam(api.refused("/v1/corrections", admin(), correction.formatted(org.id(), org.generalFund(), "reversal", expense, 300,
                ", \"visibility\": \"internal_only\""), 400, "invalid_request"), "visibility");
        api.ok("/v1/corrections", admin(), correction.formatted(org.id(), org.generalFund(), "reversal", expense, 300, ""));
        api.refused("/v1/corrections", admin(), correction.formatted(org.id(), org.generalFund(), "reversal", expense, 300, ""),
                409, "conflict");

        // then: the expense fully undone once, nothing else written
        assertThat(api.ledger(org.id(), c -> c.size() == 6)).extracting(LedgerEntry::amount)
                .containsExactly(2000L, -500L, -300L, 300L, 200L, 300L);
        assertThat(api.balance(org.generalFund())).isEqualTo(2000 - 300);
        assertThat(api.count("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ? AND payload_type LIKE '%Correction%'",
                org.generalFund())).isEqualTo(2);
    }

    @Test
    void aCorrectionMustReferToAnEntryOfItsOwnLedgerFundAndCurrency() throws SQLException {
        // given: an entry on the General Fund, a second fund, and an entry of another organisation
        Api.Organisation org = api.organisation(admin(), "GBP");
        Api.Organisation other = api.organisation(admin(), "GBP");
        api.receive(admin(), org.id(), org.generalFund(), 2000, "GBP", 0);
        api.receive(admin(), other.id(), other.generalFund(), 700, "GBP", 0);
        String original = api.ledger(org.id(), c -> c.size() == 1).get(0).id();
        String foreign = api.ledger(other.id(), c -> c.size() == 1).get(0).id();
        String secondFund = api.ok("/v1/organisations/" + org.id() + "/funds", admin(),
                "{\"name\": \"Reserve\", \"type\": \"general\", \"currency\": \"GBP\"}").get("id").asText();

        // when / then
        assertParam(api.refused("/v1/corrections", admin(), correction(org.id(), org.generalFund(), "led_doesnotexist00", "GBP"),
                400, "invalid_request"), "corrects_entry_id");
        assertParam(api.refused("/v1/corrections", admin(), correction(org.id(), org.generalFund(), foreign, "GBP"),
                400, "invalid_request"), "corrects_entry_id");
        assertParam(api.refused("/v1/corrections", admin(), correction(org.id(), secondFund, original, "GBP"),
                400, "invalid_request"), "fund_id");
        assertParam(api.refused("/v1/corrections", admin(), correction(org.id(), org.generalFund(), original, "EUR"),
                400, "invalid_request"), "currency");

        // then: nothing was written for any of them
        assertThat(api.chain(org.id())).hasSize(1);
        assertThat(api.balance(org.generalFund())).isEqualTo(2000);
        assertThat(api.chain(other.id())).hasSize(1);
    }

    @Test
    void aSuspendedOrganisationMovesNoMoneyInOrOutUntilReinstated() throws SQLException {
        // given: money received, a donation pending, another organisation with money to transfer; then suspended
        Api.Organisation org = api.organisation(admin(), "GBP");
        Api.Organisation other = api.organisation(admin(), "GBP");
        api.receive(admin(), other.id(), other.generalFund(), 1000, "GBP", 0);
        String donation = api.receive(admin(), org.id(), org.generalFund(), 1000, "GBP", 0).get("id").asText();
        String pending = api.ok("/v1/donations", admin(), """
                {"organisation_id": "%s", "fund_id": "%s", "amount": 700, "currency": "GBP"}"""
                .formatted(org.id(), org.generalFund())).get("id").asText();
        String planned = project(org.id(), org.generalFund(), "Roof");
        api.ledger(org.id(), c -> c.size() == 1);
        api.ok("/v1/organisations/" + org.id() + "/suspend", admin(), "{\"reason\": \"under review\"}");
        String complete = "{\"method\": \"bank_transfer\", \"reference\": \"BACS 77\"}";
        String suspended = org.id() + " is suspended";

        // when / then: nothing in, nothing out, each refused because of the suspension (no other rule stands in the way)
        assertThat(api.refused("/v1/donations", admin(), received(org.id(), org.generalFund(), 100, "GBP"), 409, "conflict")
                .get("message").asText()).contains(suspended);
        assertThat(api.refused("/v1/donations/" + pending + "/complete", admin(), complete, 409, "conflict")
                .get("message").asText()).contains(suspended);
        assertThat(api.refused("/v1/donations/" + donation + "/refund", admin(), "{\"amount\": 100, \"reason\": \"x\"}", 409, "conflict")
                .get("message").asText()).contains(suspended);
        assertThat(api.refused("/v1/expenses", admin(), expense(org.id(), org.generalFund(), 100, "GBP"), 409, "conflict")
                .get("message").asText()).contains(suspended);
        assertThat(api.refused("/v1/transfers", admin(), """
                {"organisation_id": "%s", "from_fund_id": "%s", "to_organisation_id": "%s", "to_fund_id": "%s",
                 "amount": 100, "currency": "GBP"}""".formatted(org.id(), org.generalFund(), other.id(), other.generalFund()),
                409, "conflict").get("message").asText()).contains(suspended);
        assertThat(api.refused("/v1/transfers", admin(), """
                {"organisation_id": "%s", "from_fund_id": "%s", "to_organisation_id": "%s", "to_fund_id": "%s",
                 "amount": 100, "currency": "GBP"}""".formatted(other.id(), other.generalFund(), org.id(), org.generalFund()),
                409, "conflict").get("message").asText()).contains(suspended);
        assertThat(api.refused("/v1/projects/" + planned + "/activate", admin(), "", 409, "conflict")
                .get("message").asText()).contains(suspended);
        assertThat(api.balance(org.generalFund())).isEqualTo(1000);
        assertThat(api.get("/v1/donations/" + pending, admin()).body().get("data").get("status").asText()).isEqualTo("pending");
        assertThat(api.chain(org.id())).hasSize(1);

        // and after reinstatement both ways again
        api.ok("/v1/organisations/" + org.id() + "/reinstate", admin(), "");
        api.ok("/v1/donations/" + pending + "/complete", admin(), complete);
        api.ok("/v1/donations/" + donation + "/refund", admin(), "{\"amount\": 100, \"reason\": \"asked back\"}");
        assertThat(api.balance(org.generalFund())).isEqualTo(1600);
    }

    @Test
    void theOrganisationsDefaultVisibilityAppliesToMoneyMovementsThatDoNotSayTheirOwn() {
        // given: the default changed with PATCH, the rest of the profile left as it was
        Api.Organisation org = api.organisation(admin(), "GBP");
        JsonNode updated = Http.patch(api.url("/v1/organisations/" + org.id()), admin(),
                "{\"default_visibility\": \"public_aggregated\", \"accepts_fundraisers\": true}").body().get("data");
        assertThat(updated.get("default_visibility").asText()).isEqualTo("public_aggregated");
        assertThat(updated.get("accepts_fundraisers").asBoolean()).isTrue();
        assertThat(updated.get("name").asText()).isEqualTo("Test charity");

        // when: a donation and an expense that do not say, and an expense that does
        api.receive(admin(), org.id(), org.generalFund(), 5000, "GBP", 0);
        api.ok("/v1/expenses", admin(), expense(org.id(), org.generalFund(), 1000, "GBP"));
        api.ok("/v1/expenses", admin(), expense(org.id(), org.generalFund(), 500, "GBP").replace("{", "{\"visibility\": \"internal_only\", "));

        // then
        List<LedgerEntry> chain = api.ledger(org.id(), c -> c.size() == 3);
        assertThat(chain).extracting(LedgerEntry::visibility).containsExactly("public_aggregated", "public_aggregated", "internal_only");
    }

    @Test
    void aRemovedMemberLosesAccessAtOnce() {
        // given
        Api.Organisation org = api.organisation(admin(), "GBP");
        api.ok("/v1/organisations/" + org.id() + "/memberships", admin(), "{\"user_id\": \"usr_cmdmember\", \"role\": \"finance\"}");
        api.receive(MEMBER, org.id(), org.generalFund(), 100, "GBP", 0);

        // when
        Http.Response removed = Http.delete(api.url("/v1/organisations/" + org.id() + "/memberships/usr_cmdmember"), admin());

        // then
        assertThat(removed.status()).isBetween(200, 299);
        api.refused("/v1/donations", MEMBER, received(org.id(), org.generalFund(), 100, "GBP"), 403, "authorization_error");
        assertThat(api.get("/v1/organisations/" + org.id(), MEMBER).status()).isEqualTo(403);
        assertThat(api.balance(org.generalFund())).isEqualTo(100);
        // and a membership of an id of another kind is no such thing (docs/api.md: ids in paths)
        Http.Response wrongKind = Http.delete(api.url("/v1/organisations/" + org.id() + "/memberships/" + org.generalFund()), admin());
        assertThat(wrongKind.status()).as(wrongKind.raw()).isEqualTo(404);
        assertThat(wrongKind.body().at("/error/code").asText()).isEqualTo("not_found");
        // and so is the membership just removed, removed again (it was invalid_request until 2026-11-29)
        Http.Response again = Http.delete(api.url("/v1/organisations/" + org.id() + "/memberships/usr_cmdmember"), admin());
        assertThat(again.status()).as(again.raw()).isEqualTo(404);
        assertThat(again.body().at("/error/code").asText()).isEqualTo("not_found");
        assertThat(again.body().at("/error/param").asText()).isEqualTo("user_id");
    }

    @Test
    void onlyPlatformStaffVerifyOrSuspend() {
        // given
        Api.Organisation own = api.organisation(MEMBER, "GBP");

        // when / then
        api.refused("/v1/organisations/" + own.id() + "/verify", MEMBER, "{\"level\": \"basic\"}", 403, "authorization_error");
        api.refused("/v1/organisations/" + own.id() + "/suspend", MEMBER, "{\"reason\": \"x\"}", 403, "authorization_error");
        api.refused("/v1/organisations/" + own.id() + "/reinstate", MEMBER, "", 403, "authorization_error");
        api.refused("/v1/organisations/" + own.id() + "/reinstate", admin(), "", 409, "conflict"); // not suspended
        JsonNode verified = api.ok("/v1/organisations/" + own.id() + "/verify", admin(), "{\"level\": \"standard\"}");
        assertThat(verified.get("status").asText()).isEqualTo("verified");
        assertThat(verified.get("verification_level").asText()).isEqualTo("standard");
        api.refused("/v1/organisations/" + own.id() + "/verify", admin(), "{\"level\": \"standard\"}", 409, "conflict");
        assertThat(api.ok("/v1/organisations/" + own.id() + "/verify", admin(), "{\"level\": \"enhanced\"}")
                .get("verification_level").asText()).isEqualTo("enhanced");
    }

    @Test
    void aProfileUpdateChangesOnlyTheMembersItNames() {
        // given
        Api.Organisation org = api.organisation(admin(), "GBP");
        String path = "/v1/organisations/" + org.id();

        // when: two updates, each of one member
        Http.Response renamed = Http.patch(api.url(path), admin(), "{\"name\": \"Wells for All\"}");
        Http.Response hidden = Http.patch(api.url(path), admin(), "{\"default_visibility\": \"internal_only\", \"country\": null}");

        // then: both stand, and what neither named is as it was
        assertThat(renamed.status()).isEqualTo(200);
        assertThat(hidden.status()).isEqualTo(200);
        JsonNode profile = api.get(path, admin()).body().get("data");
        assertThat(profile.get("name").asText()).isEqualTo("Wells for All");
        assertThat(profile.get("default_visibility").asText()).isEqualTo("internal_only");
        assertThat(profile.get("country").asText()).isEqualTo("GB");
        assertThat(profile.get("accepts_fundraisers").asBoolean()).isFalse();
    }

    @Test
    void rolesDecideWhoMovesMoney() {
        // given: an organisation of the admin's, where the member is first a viewer, then finance
        Api.Organisation org = api.organisation(admin(), "GBP");
        api.ok("/v1/organisations/" + org.id() + "/memberships", admin(), "{\"user_id\": \"usr_cmdmember\", \"role\": \"viewer\"}");

        // when / then
        api.refused("/v1/donations", MEMBER, received(org.id(), org.generalFund(), 100, "GBP"), 403, "authorization_error");
        api.ok("/v1/organisations/" + org.id() + "/memberships", admin(), "{\"user_id\": \"usr_cmdmember\", \"role\": \"finance\"}");
        api.receive(MEMBER, org.id(), org.generalFund(), 100, "GBP", 0);
        api.refused("/v1/organisations/" + org.id() + "/memberships", MEMBER,
                "{\"user_id\": \"usr_cmdmember\", \"role\": \"owner\"}", 403, "authorization_error");
    }

    @Test
    void aViewerSeesADonationsAmountsOnlyWhenThePublicDoes() {
        // given: a donation shown in full, one kept internal, and one shown in full that failed, with a reason
        Api.Organisation org = api.organisation(admin(), "GBP");
        api.ok("/v1/organisations/" + org.id() + "/memberships", admin(), "{\"user_id\": \"usr_cmdmember\", \"role\": \"viewer\"}");
        String shown = api.receive(admin(), org.id(), org.generalFund(), 100, "GBP", 0).get("id").asText();
        String internal = api.ok("/v1/donations", admin(), received(org.id(), org.generalFund(), 200, "GBP")
                .replaceFirst("\\{", "{\"visibility\": \"internal_only\", ")).get("id").asText();
        String failed = api.ok("/v1/donations", admin(), """
                {"organisation_id": "%s", "fund_id": "%s", "amount": 300, "currency": "GBP"}""".formatted(org.id(), org.generalFund()))
                .get("id").asText();
        api.ok("/v1/donations/" + failed + "/fail", admin(), "{\"reason\": \"the donor's bank refused it\"}");

        // when / then: the viewer reads the first, not the second; an auditor and the owner read both
        assertThat(api.get("/v1/donations/" + shown, MEMBER).status()).isEqualTo(200);
        // and the failed one's status, not the organisation's reason, which the auditor and the owner read
        JsonNode seenByViewer = api.get("/v1/donations/" + failed, MEMBER).body().get("data");
        assertThat(seenByViewer.get("status").asText()).isEqualTo("failed");
        assertThat(seenByViewer.get("failure_reason").isNull()).isTrue();
        assertThat(api.get("/v1/donations/" + failed, admin()).body().at("/data/failure_reason").asText())
                .isEqualTo("the donor's bank refused it");
        Http.Response refused = api.get("/v1/donations/" + internal, MEMBER);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body().at("/error/code").asText()).isEqualTo("authorization_error");
        assertThat(api.get("/v1/donations/" + internal, admin()).body().at("/data/amount").asLong()).isEqualTo(200);
        api.ok("/v1/organisations/" + org.id() + "/memberships", admin(), "{\"user_id\": \"usr_cmdmember\", \"role\": \"auditor\"}");
        assertThat(api.get("/v1/donations/" + internal, MEMBER).body().at("/data/amount").asLong()).isEqualTo(200);
        assertThat(api.get("/v1/donations/" + failed, MEMBER).body().at("/data/failure_reason").asText())
                .isEqualTo("the donor's bank refused it");
    }

    @Test
    void aFundWithAProjectNotFinishedIsNotClosed() {
        // given: an empty fund that a project in planning would spend from
        Api.Organisation org = api.organisation(admin(), "GBP");
        String fund = api.ok("/v1/organisations/" + org.id() + "/funds", admin(),
                "{\"name\": \"Roof appeal\", \"type\": \"project\", \"currency\": \"GBP\"}").get("id").asText();
        String roof = project(org.id(), fund, "Roof");

        // when / then: refused until the project is finished
        assertThat(api.refused("/v1/funds/" + fund + "/close", admin(), "", 409, "conflict").get("message").asText())
                .contains("not finished");
        api.ok("/v1/projects/" + roof + "/cancel", admin(), "");
        assertThat(api.ok("/v1/funds/" + fund + "/close", admin(), "").get("status").asText()).isEqualTo("closed");
    }

    @Test
    void aFundIsNotClosedUnderAProjectBeingCreatedOnIt() throws Exception {
        // given: an empty fund, and a project being created on it: its transaction holds the fund's row
        // (as the command side's does) and has written the project's, not yet committed
        Api.Organisation org = api.organisation(admin(), "GBP");
        String fund = api.ok("/v1/organisations/" + org.id() + "/funds", admin(),
                "{\"name\": \"Roof appeal\", \"type\": \"project\", \"currency\": \"GBP\"}").get("id").asText();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection creating = TestStack.get().superuser()) {
            creating.setAutoCommit(false);
            try (Statement statement = creating.createStatement()) {
                statement.execute("SELECT 1 FROM funds WHERE id = '" + fund + "' FOR SHARE");
                statement.execute("INSERT INTO projects (id, organisation_id, fund_id, name, budget_amount, currency, status, created_at) "
                        + "VALUES ('proj_beingmade00001', '" + org.id() + "', '" + fund + "', 'Roof', 0, 'GBP', 'planning', now())");
            }
            Future<Http.Response> close = pool.submit(() -> api.post("/v1/funds/" + fund + "/close", admin(), ""));

            // when: the close waits for the fund's row, and the project is committed
            await().atMost(Duration.ofSeconds(30)).until(() -> api.count(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()") == 1);
            creating.commit();

            // then: the close counted the project, and nothing of it stands
            Http.Response refused = close.get();
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.body().at("/error/message").asText()).contains("not finished");
        } finally {
            pool.shutdownNow();
        }
        assertThat(api.get("/v1/funds/" + fund, admin()).body().at("/data/status").asText()).isEqualTo("open");
        assertThat(api.count("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ? "
                + "AND payload_type LIKE '%.FundClosedEvent'", fund)).isZero();
    }

    @Test
    void onlyAnOwnerChangesAnOwnersMembership() {
        // given: an organisation with two owners, and the member as its admin
        Api.Organisation org = api.organisation(admin(), "GBP");
        String memberships = "/v1/organisations/" + org.id() + "/memberships";
        String second = api.ok("/v1/users", admin(), "{\"email\": \"owner-" + System.nanoTime() + "@example.org\", \"name\": \"O\"}")
                .get("id").asText();
        api.ok(memberships, admin(), "{\"user_id\": \"" + second + "\", \"role\": \"owner\"}");
        api.ok(memberships, admin(), "{\"user_id\": \"usr_cmdmember\", \"role\": \"admin\"}");

        // when / then: the admin may neither demote nor remove an owner; an owner may
        api.refused(memberships, MEMBER, "{\"user_id\": \"" + second + "\", \"role\": \"viewer\"}", 403, "authorization_error");
        assertThat(Http.delete(api.url(memberships + "/" + second), MEMBER).status()).isEqualTo(403);
        api.ok(memberships, admin(), "{\"user_id\": \"" + second + "\", \"role\": \"viewer\"}");
        assertThat(Http.delete(api.url(memberships + "/" + second), MEMBER).status()).isEqualTo(200);
    }

    @Test
    void badInputGetsAClearErrorNamingTheParameterAndWritesNothing() throws SQLException {
        // given
        Api.Organisation org = api.organisation(admin(), "GBP");
        Api.Organisation other = api.organisation(admin(), "GBP");
        String fund = org.generalFund();
        String id = org.id();

        // when / then
        assertParam(api.refused("/v1/donations", admin(), "{\"organisation_id\": \"" + id + "\", \"fund_id\": ", 400, "invalid_request"), null);
        assertParam(api.refused("/v1/donations", admin(), received(id, fund, "\"lots\"", "GBP"), 400, "invalid_request"), "amount");
        assertParam(api.refused("/v1/donations", admin(), received(id, fund, "12.5", "GBP"), 400, "invalid_request"), "amount");
        assertParam(api.refused("/v1/donations", admin(), received(id, fund, "0", "GBP"), 400, "invalid_request"), "amount");
        assertParam(api.refused("/v1/donations", admin(), received(id, fund, "-100", "GBP"), 400, "invalid_request"), "amount");
        assertParam(api.refused("/v1/donations", admin(), received(id, fund, "9007199254740992", "GBP"), 400, "invalid_request"), "amount");
        assertParam(api.refused("/v1/donations", admin(), received(id, fund, "100", "XYZ"), 400, "invalid_request"), "currency");
        assertParam(api.refused("/v1/donations", admin(), received(id, fund, "100", "EUR"), 400, "invalid_request"), "currency");
        assertParam(api.refused("/v1/donations", admin(), "{\"organisation_id\": \"" + id + "\", \"amount\": 100, \"currency\": \"GBP\"}",
                400, "invalid_request"), "fund_id");
        assertParam(api.refused("/v1/donations", admin(), received(id, other.generalFund(), "100", "GBP"), 400, "invalid_request"), "fund_id");
        assertParam(api.refused("/v1/donations", admin(), received(id, "fund_" + "x".repeat(30), "100", "GBP"), 400, "invalid_request"), "fund_id");
        assertParam(api.refused("/v1/organisations", admin(), "{\"name\": \"" + "n".repeat(201) + "\", \"country\": \"GB\"}",
                400, "invalid_request"), "name");
        assertParam(api.refused("/v1/organisations", admin(), "{\"name\": \"Bad\\u0007Name\", \"country\": \"GB\"}",
                400, "invalid_request"), "name");
        assertParam(api.refused("/v1/expenses", admin(), expense(id, fund, 1, "GBP").replace("programs", "parties"),
                400, "invalid_request"), "category");
        assertParam(api.refused("/v1/donations", admin(), received(id, fund, "100", "GBP")
                .replace("\"currency\"", "\"visibility\": \"internal_only\", \"visibility\": \"public_full\", \"currency\""),
                400, "invalid_request"), "visibility");
        assertParam(api.refused("/v1/donations", admin(), """
                {"organisation_id": "%s", "fund_id": "%s", "amount": 100, "currency": "GBP", "donor_covers_fees": 1}"""
                .formatted(id, fund), 400, "invalid_request"), "donor_covers_fees");
        api.refused("/v1/donations/don_doesnotexist000/refund", admin(), "{\"amount\": 1, \"reason\": \"x\"}", 404, "not_found");
        api.refused("/v1/donations", null, received(id, fund, "100", "GBP"), 401, "authentication_error");
        api.refused("/v1/donations", "sk_not_a_real_key", received(id, fund, "100", "GBP"), 401, "authentication_error");

        // nothing was written for any of them
        assertThat(api.chain(id)).isEmpty();
        assertThat(api.balance(fund)).isZero();
    }

    @Test
    void datesOtherThanRfc3339StringsCountriesNotAssignedAndNamesThatShowNothingAreRefused() throws SQLException {
        // given
        Api.Organisation org = api.organisation(admin(), "GBP");
        String campaign = """
                {"fund_id": "%s", "name": "Winter", "goal_amount": 1000, "currency": "GBP", "starts_at": %s}""";
        String fund = """
                {"name": "Wells", "type": "restricted", "currency": "GBP", "restrictions": {"purpose": "wells", "starts_on": %s}}""";

        // when / then: a number, or a string of digits, is not a moment (Jackson took them as seconds since 1970, and
        // 1e300 as 1970 itself), nor a number or an array a date
        for (String moment : List.of("1767225600", "\"1767225600\"", "1e300", "\"2026-13-01T00:00:00Z\"", "\"2026-12-01\"")) {
            assertParam(api.refused("/v1/organisations/" + org.id() + "/campaigns", admin(), campaign.formatted(org.generalFund(), moment),
                    400, "invalid_request"), "starts_at");
        }
        for (String date : List.of("20000", "[2026, 1, 1]", "\"2026-02-30\"")) {
            assertParam(api.refused("/v1/organisations/" + org.id() + "/funds", admin(), fund.formatted(date), 400, "invalid_request"),
                    "restrictions.starts_on");
        }
        assertParam(api.refused("/v1/users/" + api.user("keyholder").id() + "/api-keys", admin(), "{\"expires_at\": \"4102444800\"}",
                400, "invalid_request"), "expires_at");
        // a country code no country has, and names of nothing but invisible characters
        assertParam(api.refused("/v1/organisations", admin(), "{\"name\": \"Wells\", \"country\": \"ZZ\"}", 400, "invalid_request"),
                "country");
        assertParam(api.refused("/v1/organisations", admin(), "{\"name\": \"\\u00a0\\u200b\", \"country\": \"GB\"}",
                400, "invalid_request"), "name");
        assertParam(api.refused("/v1/organisations/" + org.id() + "/funds", admin(),
                "{\"name\": \"\\u3164\", \"type\": \"project\", \"currency\": \"GBP\"}", 400, "invalid_request"), "name");
        // and nothing was written for any of them
        assertThat(api.count("SELECT count(*) FROM campaigns WHERE organisation_id = ?", org.id())).isZero();
        assertThat(api.count("SELECT count(*) FROM funds WHERE organisation_id = ?", org.id())).isOne(); // its General Fund
        // while the same requests written as RFC 3339 strings, and Kosovo's code, are recorded
        assertThat(api.ok("/v1/organisations/" + org.id() + "/campaigns", admin(),
                campaign.formatted(org.generalFund(), "\"2027-01-01T00:00:00+01:00\"")).get("starts_at").asText())
                .isEqualTo("2026-12-31T23:00:00Z");
        api.ok("/v1/organisations/" + org.id() + "/funds", admin(), fund.formatted("\"2026-01-01\""));
        api.ok("/v1/organisations", admin(), "{\"name\": \"Wells of Prishtina\", \"country\": \"XK\"}");
    }

    @Test
    void aTypeTheLedgerNeverWritesAnUnknownOrganisationOrUserAndAFeeBeyondTheAmountAreNamedAsSuch() {
        // given
        Api.Organisation org = api.organisation(admin(), "GBP");
        String pledge = api.ok("/v1/donations", admin(), """
                {"organisation_id": "%s", "fund_id": "%s", "amount": 100, "currency": "GBP"}""".formatted(org.id(), org.generalFund()))
                .get("id").asText();

        // when / then: a misspelt type is refused (its pages were empty across the whole chain)
        Http.Response typo = Http.get(TestStack.get().apps().queryUrl() + "/v1/public/organisations/" + org.id() + "/ledger?type=donation", null);
        assertThat(typo.status()).as(typo.raw()).isEqualTo(400);
        assertParam(typo.body().get("error"), "type");
        // ids platform staff name that do not exist are not_found, not an empty list
        for (String unknown : List.of("/v1/organisations/org_doesnotexist0000/matching-programmes", "/v1/users/usr_doesnotexist0000/invitations")) {
            Http.Response answer = Http.get(api.url(unknown), admin());
            assertThat(answer.status()).as(answer.raw()).isEqualTo(404);
            assertThat(answer.body().at("/error/code").asText()).isEqualTo("not_found");
        }
        // a completion's fee is its body's fee_amount
        assertParam(api.refused("/v1/donations/" + pledge + "/complete", admin(),
                "{\"method\": \"cash\", \"reference\": \"till\", \"fee_amount\": 500}", 400, "invalid_request"), "fee_amount");
    }

    @Test
    void everyAnswerIsJsonWhateverTheRequestAcceptsSoAWriteIsNeverAnsweredWithoutItsResult() throws SQLException {
        // given: a client that accepts only text (Spring chose the answer's type after the donation was recorded: a
        // 406 with no body, which its Idempotency-Key then kept)
        Api.Organisation org = api.organisation(admin(), "GBP");
        Map<String, String> headers = Map.of("Accept", "text/plain", "Idempotency-Key", "accepts-text-" + org.id());

        // when
        Http.Response created = Http.post(api.url("/v1/donations"), admin(), received(org.id(), org.generalFund(), 100, "GBP"), headers);
        Http.Response again = Http.post(api.url("/v1/donations"), admin(), received(org.id(), org.generalFund(), 100, "GBP"), headers);
        Http.Response refused = Http.post(api.url("/v1/donations"), admin(), received(org.id(), org.generalFund(), 0, "GBP"),
                Map.of("Accept", "text/html"));

        // then: the donation's answer, in JSON, once recorded and replayed as it was
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        assertThat(created.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        assertThat(created.body().at("/data/id").asText()).startsWith("don_");
        assertThat(again.raw()).isEqualTo(created.raw());
        assertThat(api.balance(org.generalFund())).isEqualTo(100);
        // and an error in the API's format
        assertThat(refused.status()).as(refused.raw()).isEqualTo(400);
        assertParam(refused.body().get("error"), "amount");
    }

    @Test
    void badInputToFundsTransfersExpensesCorrectionsAndRefundsGetsAClearErrorAndWritesNothing() throws SQLException {
        // given: money on the General Fund, a closed fund, a fund in another currency, another organisation's fund
        Received money = receivedOnTheGeneralFund();
        Api.Organisation other = api.organisation(admin(), "GBP");
        String id = money.org().id();
        String fund = money.org().generalFund();
        String donation = money.donation();
        String entry = money.entry();
        String closed = api.ok("/v1/organisations/" + id + "/funds", admin(),
                "{\"name\": \"Old\", \"type\": \"general\", \"currency\": \"GBP\"}").get("id").asText();
        api.ok("/v1/funds/" + closed + "/close", admin(), "");
        String euros = api.ok("/v1/organisations/" + id + "/funds", admin(),
                "{\"name\": \"Euros\", \"type\": \"general\", \"currency\": \"EUR\"}").get("id").asText();
        String reserve = api.ok("/v1/organisations/" + id + "/funds", admin(),
                "{\"name\": \"Reserve\", \"type\": \"general\", \"currency\": \"GBP\"}").get("id").asText();
        String funds = "/v1/organisations/" + id + "/funds";
        String control = "Line\\u0007Bell";
        long events = api.eventCount();

        // when / then: funds
        assertParam(api.refused(funds, admin(), "{\"name\": \"x\", \"type\": ", 400, "invalid_request"), null);
        assertParam(api.refused(funds, admin(), "{\"name\": \"x\", \"type\": \"piggybank\", \"currency\": \"GBP\"}",
                400, "invalid_request"), "type");
        assertParam(api.refused(funds, admin(), "{\"name\": \"x\", \"type\": \"general\", \"currency\": \"JPY\"}",
                400, "invalid_request"), "currency");
        assertParam(api.refused(funds, admin(), "{\"name\": \"" + control + "\", \"type\": \"general\", \"currency\": \"GBP\"}",
                400, "invalid_request"), "name");
        assertParam(api.refused(funds, admin(), """
                {"name": "x", "type": "restricted", "currency": "GBP", "restrictions": {"purpose": "%s"}}""".formatted("p".repeat(501)),
                400, "invalid_request"), "restrictions.purpose");
        assertParam(api.refused(funds, admin(), """
                {"name": "x", "type": "restricted", "currency": "GBP", "restrictions": {"starts_on": "2026-12-31", "ends_on": "2026-01-01"}}""",
                400, "invalid_request"), "restrictions.ends_on");
        assertParam(api.refused(funds, admin(), """
                {"name": "x", "type": "restricted", "currency": "GBP", "restrictions": {"starts_on": "0000-01-01"}}""",
                400, "invalid_request"), "restrictions.starts_on");
        assertParam(api.refused(funds, admin(), """
                {"name": "x", "type": "restricted", "currency": "GBP", "restrictions": {"ends_on": ""}}""",
                400, "invalid_request"), "restrictions.ends_on");
        // transfers
        String transfer = """
                {"organisation_id": "%s", "from_fund_id": "%s", "to_fund_id": "%s", "amount": 100, "currency": "GBP", "memo": "%s"}""";
        assertParam(api.refused("/v1/transfers", admin(), transfer.formatted(id, fund, "fund_doesnotexist00", "m"),
                400, "invalid_request"), "to_fund_id");
        assertParam(api.refused("/v1/transfers", admin(), transfer.formatted(id, "fund_doesnotexist00", fund, "m"),
                400, "invalid_request"), "from_fund_id");
        assertParam(api.refused("/v1/transfers", admin(), transfer.formatted(id, other.generalFund(), fund, "m"),
                400, "invalid_request"), "from_fund_id");
        assertParam(api.refused("/v1/transfers", admin(), transfer.formatted(id, fund, other.generalFund(), "m"),
                400, "invalid_request"), "to_fund_id");
        assertParam(api.refused("/v1/transfers", admin(), transfer.formatted(id, fund, euros, "m"),
                400, "invalid_request"), "to_fund_id");
        assertParam(api.refused("/v1/transfers", admin(), """
                {"organisation_id": "%s", "from_fund_id": "%s", "to_organisation_id": "org_doesnotexist00", "to_fund_id": "%s",
                 "amount": 100, "currency": "GBP"}""".formatted(id, fund, other.generalFund()), 400, "invalid_request"),
                "to_organisation_id");
        // an unknown organisation in a money movement's body is invalid_request naming it, for platform staff too (who
        // hold every organisation's roles, so get past the role check; they were answered not_found)
        String nowhere = "org_doesnotexist00";
        assertParam(api.refused("/v1/donations", admin(), received(nowhere, fund, 100, "GBP"), 400, "invalid_request"),
                "organisation_id");
        assertParam(api.refused("/v1/transfers", admin(), transfer.formatted(nowhere, fund, reserve, "m"), 400, "invalid_request"),
                "organisation_id");
        assertParam(api.refused("/v1/expenses", admin(), expense(nowhere, fund, 100, "GBP"), 400, "invalid_request"),
                "organisation_id");
        assertParam(api.refused("/v1/corrections", admin(), correction(nowhere, fund, "led_doesnotexist00", "GBP"), 400,
                "invalid_request"), "organisation_id");
        api.refused("/v1/transfers", admin(), transfer.formatted(id, fund, closed, "m"), 409, "conflict");
        assertParam(api.refused("/v1/transfers", admin(), transfer.formatted(id, fund, reserve, "m".repeat(201)),
                400, "invalid_request"), "memo");
        assertParam(api.refused("/v1/transfers", admin(), transfer.formatted(id, fund, reserve, control),
                400, "invalid_request"), "memo");
        // expenses
        assertParam(api.refused("/v1/expenses", admin(), expense(id, fund, 100, "GBP").replace("INV-2026-7", "r".repeat(101)),
                400, "invalid_request"), "recipient_reference");
        assertParam(api.refused("/v1/expenses", admin(), expense(id, fund, 100, "GBP").replace("INV-2026-7", control),
                400, "invalid_request"), "recipient_reference");
        assertParam(api.refused("/v1/expenses", admin(), expense(id, fund, 100, "GBP").replace("supplier", "friend"),
                400, "invalid_request"), "recipient_type");
        // corrections
        assertParam(api.refused("/v1/corrections", admin(), correction(id, fund, entry, "GBP").replace("adjustment", "undo"),
                400, "invalid_request"), "kind");
        assertParam(api.refused("/v1/corrections", admin(), correction(id, fund, "entry-7", "GBP"),
                400, "invalid_request"), "corrects_entry_id");
        assertParam(api.refused("/v1/corrections", admin(), correction(id, fund, entry, "GBP").replace("-100", "0"),
                400, "invalid_request"), "amount");
        assertParam(api.refused("/v1/corrections", admin(), correction(id, fund, entry, "GBP").replace("booked on the wrong day", "w".repeat(501)),
                400, "invalid_request"), "reason");
        // donations and refunds
        assertParam(api.refused("/v1/donations", admin(), received(id, fund, 100, "GBP").replace("BACS 1", control),
                400, "invalid_request"), "payment.reference");
        assertParam(api.refused("/v1/donations", admin(), received(id, fund, 100, "GBP").replaceFirst("\\{", "{\"donor\": {\"email\": \"not-an-address\"}, "),
                400, "invalid_request"), "donor.email");
        assertParam(api.refused("/v1/donations/" + donation + "/refund", admin(), "{\"amount\": 100, \"reason\": \"" + "w".repeat(501) + "\"}",
                400, "invalid_request"), "reason");
        api.refused("/v1/donations/" + donation + "/refund", admin(), "{\"amount\": 3001, \"reason\": \"too much\"}", 409, "conflict");

        // nothing was written for any of them
        assertThat(api.eventCount()).isEqualTo(events);
        assertThat(api.balance(fund)).isEqualTo(3000);
        assertThat(api.chain(id)).hasSize(1);
    }

    @Test
    void everyMoneyMovementRefusesAmountsCurrenciesTextAndBodiesItCannotBookAndWritesNothing() throws SQLException {
        // given: money on the General Fund, a second fund of the same currency, a received donation and its entry
        Received money = receivedOnTheGeneralFund();
        String id = money.org().id();
        String fund = money.org().generalFund();
        String donation = money.donation();
        String entry = money.entry();
        String reserve = api.ok("/v1/organisations/" + id + "/funds", admin(),
                "{\"name\": \"Reserve\", \"type\": \"general\", \"currency\": \"GBP\"}").get("id").asText();
        String transfer = """
                {"organisation_id": "%s", "from_fund_id": "%s", "to_fund_id": "%s", "amount": %s, "currency": "%s"}""";
        String refund = "/v1/donations/" + donation + "/refund";
        String control = "Line\\u0007Bell";
        String beyond = "9007199254740992"; // 2^53: past what a JSON number holds exactly, and past every balance
        long events = api.eventCount();

        // when / then: amounts of nothing, below nothing and beyond 2^53 - 1, on every movement of money out
        for (String amount : List.of("0", "-1", beyond)) {
            assertParam(api.refused("/v1/expenses", admin(), expense(id, fund, 100, "GBP").replace("\"amount\": 100", "\"amount\": " + amount),
                    400, "invalid_request"), "amount");
            assertParam(api.refused("/v1/transfers", admin(), transfer.formatted(id, fund, reserve, amount, "GBP"),
                    400, "invalid_request"), "amount");
            assertParam(api.refused(refund, admin(), "{\"amount\": " + amount + ", \"reason\": \"x\"}",
                    400, "invalid_request"), "amount");
        }
        assertParam(api.refused("/v1/corrections", admin(), correction(id, fund, entry, "GBP").replace("-100", beyond),
                400, "invalid_request"), "amount");
        assertParam(api.refused("/v1/corrections", admin(), correction(id, fund, entry, "GBP").replace("-100", "-" + beyond),
                400, "invalid_request"), "amount");
        assertParam(api.refused("/v1/organisations/" + id + "/campaigns", admin(), """
                {"fund_id": "%s", "name": "Winter", "goal_amount": %s, "currency": "GBP"}""".formatted(fund, beyond),
                400, "invalid_request"), "goal_amount");
        // currencies: unknown, or not the fund's
        assertParam(api.refused("/v1/expenses", admin(), expense(id, fund, 100, "XYZ"), 400, "invalid_request"), "currency");
        assertParam(api.refused("/v1/expenses", admin(), expense(id, fund, 100, "EUR"), 400, "invalid_request"), "currency");
        assertParam(api.refused("/v1/transfers", admin(), transfer.formatted(id, fund, reserve, "100", "XYZ"),
                400, "invalid_request"), "currency");
        assertParam(api.refused("/v1/transfers", admin(), transfer.formatted(id, fund, reserve, "100", "EUR"),
                400, "invalid_request"), "to_fund_id");
        assertParam(api.refused("/v1/corrections", admin(), correction(id, fund, entry, "XYZ"), 400, "invalid_request"),
                "currency");
        // missing fields
        assertParam(api.refused("/v1/donations", admin(), received(id, fund, 100, "GBP").replace("\"amount\": 100, ", ""),
                400, "invalid_request"), "amount");
        assertParam(api.refused("/v1/donations", admin(), received(id, fund, 100, "GBP").replace("\"currency\": \"GBP\",", ""),
                400, "invalid_request"), "currency");
        assertParam(api.refused(refund, admin(), "{\"amount\": 1}", 400, "invalid_request"), "reason");
        assertParam(api.refused("/v1/expenses", admin(), expense(id, fund, 100, "GBP").replace("\"category\": \"programs\",", ""),
                400, "invalid_request"), "category");
        // text beyond its column, or with control characters
        String withDonor = received(id, fund, 100, "GBP").replaceFirst("\\{", "{\"donor\": %s, ");
        assertParam(api.refused("/v1/donations", admin(), withDonor.formatted("{\"name\": \"" + "n".repeat(201) + "\"}"),
                400, "invalid_request"), "donor.name");
        assertParam(api.refused("/v1/donations", admin(), withDonor.formatted("{\"email\": \"" + "e".repeat(309) + "@example.org\"}"),
                400, "invalid_request"), "donor.email");
        assertParam(api.refused("/v1/donations", admin(), withDonor.formatted("{\"name\": \"" + control + "\"}"),
                400, "invalid_request"), "donor.name");
        assertParam(api.refused("/v1/donations", admin(), received(id, fund, 100, "GBP").replace("BACS 1", "r".repeat(256)),
                400, "invalid_request"), "payment.reference");
        assertParam(api.refused(refund, admin(), "{\"amount\": 100, \"reason\": \"" + control + "\"}",
                400, "invalid_request"), "reason");
        assertParam(api.refused("/v1/corrections", admin(), correction(id, fund, entry, "GBP").replace("booked on the wrong day", control),
                400, "invalid_request"), "reason");
        assertParam(api.refused("/v1/organisations/" + id + "/campaigns", admin(), """
                {"fund_id": "%s", "name": "%s", "goal_amount": 1000, "currency": "GBP"}""".formatted(fund, control),
                400, "invalid_request"), "name");
        // bodies that are not JSON objects
        for (String path : List.of("/v1/donations", "/v1/expenses", "/v1/transfers", "/v1/corrections", refund)) {
            assertParam(api.refused(path, admin(), "{\"amount\": ", 400, "invalid_request"), null);
            assertParam(api.refused(path, admin(), "[]", 400, "invalid_request"), null);
        }

        // nothing was written for any of them
        assertThat(api.eventCount()).isEqualTo(events);
        assertThat(api.balance(fund)).isEqualTo(3000);
        assertThat(api.balance(reserve)).isZero();
        assertThat(api.chain(id)).hasSize(1);
        assertThat(api.count("SELECT count(*) FROM campaigns WHERE organisation_id = ?", id)).isZero();
    }

    @Test
    void everyOtherResourceRefusesTextBeyondItsColumnOrWithControlCharactersAndWritesNothing() throws SQLException {
        // given: a pending donation, a campaign and a project of an organisation
        Api.Organisation org = api.organisation(admin(), "GBP");
        String id = org.id();
        String fund = org.generalFund();
        String donation = api.ok("/v1/donations", admin(), pending(id, fund, 500)).get("id").asText();
        String campaign = api.ok("/v1/organisations/" + id + "/campaigns", admin(), """
                {"fund_id": "%s", "name": "Winter", "goal_amount": 1000, "currency": "GBP"}""".formatted(fund)).get("id").asText();
        String project = project(id, fund, "Roof");
        String control = "Line\\u0007Bell";
        String bidi = "Invoice \\u202Egpj.exe"; // a right-to-left override, which turns what follows it round on screen
        String reason = "{\"reason\": \"%s\"}";
        String funds = "/v1/organisations/" + id + "/funds";
        String fundBody = "{\"name\": \"%s\", \"type\": \"general\", \"currency\": \"GBP\"}";
        String user = "{\"email\": \"%s\", \"name\": \"%s\"}";
        String business = "{\"name\": \"%s\", \"country\": \"GB\"}";
        long events = api.eventCount();
        long users = api.count("SELECT count(*) FROM users");
        long businesses = api.count("SELECT count(*) FROM businesses");

        // when / then: each field one character beyond its column, and with a control character or a bidi override
        for (String[] refused : new String[][]{
                {funds, fundBody.formatted("f".repeat(201)), "name"},
                {funds, fundBody.formatted(control), "name"},
                {funds, fundBody.formatted(bidi), "name"},
                {funds, "{\"name\": \"x\", \"type\": \"restricted\", \"currency\": \"GBP\", \"restrictions\": {\"geography\": \""
                        + "g".repeat(201) + "\"}}", "restrictions.geography"},
                {funds, "{\"name\": \"x\", \"type\": \"restricted\", \"currency\": \"GBP\", \"restrictions\": {\"geography\": \""
                        + control + "\"}}", "restrictions.geography"},
                {"/v1/organisations", "{\"name\": \"" + bidi + "\", \"country\": \"GB\"}", "name"},
                {"/v1/donations/" + donation + "/fail", reason.formatted("r".repeat(501)), "reason"},
                {"/v1/donations/" + donation + "/fail", reason.formatted(control), "reason"},
                {"/v1/organisations/" + id + "/suspend", reason.formatted("r".repeat(501)), "reason"},
                {"/v1/organisations/" + id + "/suspend", reason.formatted(control), "reason"},
                {"/v1/campaigns/" + campaign + "/cancel", reason.formatted("r".repeat(501)), "reason"},
                {"/v1/campaigns/" + campaign + "/cancel", reason.formatted(control), "reason"},
                {"/v1/projects/" + project + "/cancel", reason.formatted("r".repeat(501)), "reason"},
                {"/v1/projects/" + project + "/cancel", reason.formatted(control), "reason"},
                {"/v1/users", user.formatted("u@example.org", "n".repeat(201)), "name"},
                {"/v1/users", user.formatted("u@example.org", control), "name"},
                {"/v1/users", user.formatted("u".repeat(309) + "@example.org", "N"), "email"},
                {"/v1/businesses", business.formatted("b".repeat(201)), "name"},
                {"/v1/businesses", business.formatted(control), "name"},
                {"/v1/organisations/" + id + "/donor-erasures", "{\"email\": \"" + "e".repeat(309) + "@example.org\"}", "email"},
                {"/v1/donations/" + donation + "/complete", "{\"method\": \"cash\", \"reference\": \"x\", \"fee_charged_by\": \""
                        + "c".repeat(101) + "\"}", "fee_charged_by"},
                // (with no fee it is not kept, but was dropped in silence until 2026-11-29)
                {"/v1/donations/" + donation + "/complete", "{\"method\": \"cash\", \"reference\": \"x\", \"fee_charged_by\": \""
                        + control + "\"}", "fee_charged_by"},
                {"/v1/donations", received(id, fund, 100, "GBP").replace("\"BACS 1\"", "\"BACS 1\", \"fee_charged_by\": \"" + control + "\""),
                        "payment.fee_charged_by"}}) {
            assertParam(api.refused(refused[0], admin(), refused[1], 400, "invalid_request"), refused[2]);
        }

        // nothing was written for any of them: the donation still pending, the campaign, project and organisation as they were
        assertThat(api.eventCount()).isEqualTo(events);
        assertThat(api.count("SELECT count(*) FROM users")).isEqualTo(users);
        assertThat(api.count("SELECT count(*) FROM businesses")).isEqualTo(businesses);
        assertThat(api.get("/v1/donations/" + donation, admin()).body().at("/data/status").asText()).isEqualTo("pending");
        assertThat(api.count("SELECT count(*) FROM organisations WHERE id = ? AND status = 'pending'", id)).isOne();
    }

    @Test
    void aWriteThatTakesNoBodyRefusesOneAndWritesNothing() throws SQLException {
        // given: a draft campaign, a planned project and an empty fund
        Api.Organisation org = api.organisation(admin(), "GBP");
        String fund = org.generalFund();
        String campaign = api.ok("/v1/organisations/" + org.id() + "/campaigns", admin(), """
                {"fund_id": "%s", "name": "Winter", "goal_amount": 1000, "currency": "GBP"}""".formatted(fund)).get("id").asText();
        String project = project(org.id(), fund, "Roof");
        String empty = api.ok("/v1/organisations/" + org.id() + "/funds", admin(),
                "{\"name\": \"Spare\", \"type\": \"general\", \"currency\": \"GBP\"}").get("id").asText();
        long events = api.eventCount();

        // when / then: a body where none is taken (its words would be lost) is refused
        for (String path : List.of("/v1/campaigns/" + campaign + "/activate", "/v1/projects/" + project + "/activate",
                "/v1/funds/" + empty + "/close")) {
            JsonNode refused = api.refused(path, admin(), "{\"reason\": \"end of the appeal\"}", 400, "invalid_request");
            assertParam(refused, null);
            assertThat(refused.get("message").asText()).contains("takes no body");
        }
        assertThat(api.eventCount()).isEqualTo(events);
        assertThat(api.get("/v1/campaigns/" + campaign, admin()).body().at("/data/status").asText()).isEqualTo("draft");

        // and an empty object, as some clients send for no body, carries nothing and passes
        assertThat(api.ok("/v1/campaigns/" + campaign + "/activate", admin(), "{ }").get("status").asText()).isEqualTo("active");
    }

    @Test
    void aRequestBodyIsReadExactlyAsSentAndAnIdOfAnotherKindNamesNothing() throws SQLException {
        // given: a donation, a campaign and a project of the organisation
        Api.Organisation org = api.organisation(admin(), "GBP");
        String id = org.id();
        String fund = org.generalFund();
        String donation = api.receive(admin(), id, fund, 3000, "GBP", 0).get("id").asText();
        String campaign = api.ok("/v1/organisations/" + id + "/campaigns", admin(), """
                {"fund_id": "%s", "name": "Winter", "goal_amount": 1000, "currency": "GBP"}""".formatted(fund)).get("id").asText();
        String project = project(id, fund, "Roof");
        long events = api.eventCount();

        // when / then: values of the wrong JSON type, a member the request does not have, numbers beyond a long
        assertParam(api.refused("/v1/donations", admin(), received(id, fund, "\"100\"", "GBP"), 400, "invalid_request"), "amount");
        assertParam(api.refused("/v1/donations", admin(), received(id, fund, "99999999999999999999", "GBP"), 400, "invalid_request"),
                "amount");
        assertParam(api.refused("/v1/expenses", admin(), expense(id, fund, 100, "GBP").replace("{", "{\"visibility\": 2, "),
                400, "invalid_request"), "visibility");
        assertParam(api.refused("/v1/expenses", admin(), expense(id, fund, 100, "GBP").replace("{", "{\"visibility\": \"2\", "),
                400, "invalid_request"), "visibility");
        JsonNode misspelt = api.refused("/v1/expenses", admin(),
                expense(id, fund, 100, "GBP").replace("{", "{\"visiblity\": \"internal_only\", "), 400, "invalid_request");
        assertParam(misspelt, "visiblity");
        assertThat(misspelt.get("message").asText()).contains("not a member");
        assertParam(api.refused("/v1/organisations", admin(), "{\"name\": 5, \"country\": \"GB\"}", 400, "invalid_request"),
                "name");
        assertParam(api.refused("/v1/organisations", admin(), "{\"name\": \"Wells\\ud800\", \"country\": \"GB\"}",
                400, "invalid_request"), "name");
        // ids of another kind, or that no id has (a NUL PostgreSQL cannot even compare)
        assertParam(api.refused("/v1/donations", admin(), received(id, campaign, "100", "GBP"), 400, "invalid_request"), "fund_id");
        assertParam(api.refused("/v1/donations", admin(), received(id + "\\u0000", fund, "100", "GBP"), 400, "invalid_request"),
                "organisation_id");
        assertParam(api.refused("/v1/expenses", admin(), expense(id, fund, 100, "GBP", donation), 400, "invalid_request"),
                "project_id");
        assertParam(api.refused("/v1/funds/" + campaign + "/close", admin(), "", 404, "not_found"), "fund_id");
        assertParam(api.refused("/v1/funds/" + project + "/close", admin(), "", 404, "not_found"), "fund_id");
        assertParam(api.refused("/v1/donations/" + fund + "/refund", admin(), "{\"amount\": 1, \"reason\": \"x\"}", 404,
                "not_found"), "donation_id");
        assertParam(api.refused("/v1/donations/" + fund + "/complete", admin(), "{\"method\": \"cash\", \"reference\": \"x\"}",
                404, "not_found"), "donation_id");
        assertParam(api.refused("/v1/organisations/" + fund + "/memberships", admin(),
                "{\"user_id\": \"" + AmplyDatabase.DEV_ADMIN_ID + "\", \"role\": \"viewer\"}", 404, "not_found"), "organisation_id");
        assertParam(api.refused("/v1/organisations/" + campaign + "/suspend", admin(), "{\"reason\": \"x\"}", 404, "not_found"),
                "organisation_id");

        // nothing was written for any of them
        assertThat(api.eventCount()).isEqualTo(events);
        assertThat(api.balance(fund)).isEqualTo(3000);
        assertThat(api.chain(id)).hasSize(1);
    }

    @Test
    void aBodyBeyondOneMebibyteIsRefusedWithoutBeingReadWhole() throws SQLException {
        // given: a donation whose donor name alone is 1.5 MiB
        Api.Organisation org = api.organisation(admin(), "GBP");
        String huge = received(org.id(), org.generalFund(), 100, "GBP")
                .replaceFirst("\\{", "{\"donor\": {\"name\": \"" + "x".repeat(1_572_864) + "\"}, ");
        byte[] bytes = huge.getBytes(java.nio.charset.StandardCharsets.UTF_8);

        // when / then: declared, or sent in chunks, with or without an Idempotency-Key (which reads the body whole)
        for (Http.Response response : List.of(
                api.post("/v1/donations", admin(), huge),
                Http.post(api.url("/v1/donations"), admin(), huge, Map.of("Idempotency-Key", "huge-1")),
                Http.postChunked(api.url("/v1/donations"), admin(), bytes, Map.of()),
                Http.postChunked(api.url("/v1/donations"), admin(), bytes, Map.of("Idempotency-Key", "huge-2")))) {
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.body().at("/error/code").asText()).isEqualTo("invalid_request");
            assertThat(response.body().at("/error/message").asText()).contains("larger than 1048576 bytes");
        }
        assertThat(api.count("SELECT count(*) FROM donations WHERE organisation_id = ?", org.id())).isZero();
    }

    /** An organisation in GBP, a donation of 3,000 received on its General Fund, and that donation's ledger entry. */
    private record Received(Api.Organisation org, String donation, String entry) {
    }

    private static Received receivedOnTheGeneralFund() {
        Api.Organisation org = api.organisation(admin(), "GBP");
        String donation = api.receive(admin(), org.id(), org.generalFund(), 3000, "GBP", 0).get("id").asText();
        return new Received(org, donation, api.ledger(org.id(), c -> c.size() == 1).get(0).id());
    }

    private static void assertParam(JsonNode error, String param) {
        if (param == null) {
            assertThat(error.get("param").isNull()).isTrue();
        } else {
            assertThat(error.get("param").asText()).isEqualTo(param);
        }
    }

    private static String received(String org, String fund, long amount, String currency) {
        return received(org, fund, String.valueOf(amount), currency);
    }

    private static String received(String org, String fund, String amount, String currency) {
        return """
                {"organisation_id": "%s", "fund_id": "%s", "amount": %s, "currency": "%s",
                 "payment": {"method": "bank_transfer", "reference": "BACS 1"}}""".formatted(org, fund, amount, currency);
    }

    private static String expense(String org, String fund, long amount, String currency, String project) {
        return expense(org, fund, amount, currency).replace("{", "{\"project_id\": \"" + project + "\", ");
    }

    private static String correction(String org, String fund, String entry, String currency) {
        return """
                {"organisation_id": "%s", "fund_id": "%s", "kind": "adjustment", "corrects_entry_id": "%s",
                 "amount": -100, "currency": "%s", "reason": "booked on the wrong day"}""".formatted(org, fund, entry, currency);
    }

    private static String project(String org, String fund, String name) {
        return api.ok("/v1/organisations/" + org + "/projects", admin(), """
                {"fund_id": "%s", "name": "%s", "budget_amount": 10000, "currency": "GBP"}""".formatted(fund, name))
                .get("id").asText();
    }

    private static String expense(String org, String fund, long amount, String currency) {
        return """
                {"organisation_id": "%s", "fund_id": "%s", "amount": %d, "currency": "%s", "category": "programs",
                 "recipient_type": "supplier", "recipient_reference": "INV-2026-7"}""".formatted(org, fund, amount, currency);
    }
}
