package io.amply.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.amply.ledger.hash.LedgerEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An organisation's free text (a refund's or a correction's reason, a transfer's memo, an expense's
 * recipient reference) is a note beside its ledger entry: never in the hashed entry nor in the events,
 * so that it can be erased while the chain still verifies.
 */
class LedgerNotesIT {

    private static final String FINANCE = "sk_test_notes_finance_1";
    private static final String VIEWER = "sk_test_notes_viewer_1";
    private static final String NAME = "Jane Doe";

    private static TestStack stack;
    private static Api api;

    @BeforeAll
    static void start() throws SQLException {
        stack = TestStack.get();
        api = new Api(stack);
        AmplyDatabase.ensureUser(stack.database, "usr_notesfinance", "notes-finance@example.org", "Finance", null,
                "key_notesfinance", FINANCE);
        AmplyDatabase.ensureUser(stack.database, "usr_notesviewer", "notes-viewer@example.org", "Viewer", null,
                "key_notesviewer", VIEWER);
    }

    @Test
    void freeTextIsANoteBesideItsEntryAndErasingItLeavesTheChainVerifying() throws SQLException {
        // given: an organisation with money, its finance member and a viewer, and another organisation
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        Api.Organisation other = api.organisation(Api.admin(), "GBP");
        api.grant(org.id(), "usr_notesfinance", "finance");
        api.grant(org.id(), "usr_notesviewer", "viewer");
        String donation = api.receive(Api.admin(), org.id(), org.generalFund(), 10_000, "GBP", 0).get("id").asText();

        // when: each kind of free text is written, each naming someone
        api.ok("/v1/donations/" + donation + "/refund", FINANCE, "{\"amount\": 1000, \"reason\": \"refund for " + NAME + "\"}");
        api.ok("/v1/expenses", FINANCE, """
                {"organisation_id": "%s", "fund_id": "%s", "amount": 2000, "currency": "GBP", "category": "programs",
                 "recipient_type": "beneficiary", "recipient_reference": "INV %s 7"}""".formatted(org.id(), org.generalFund(), NAME));
        api.ok("/v1/transfers", Api.admin(), """
                {"organisation_id": "%s", "from_fund_id": "%s", "to_organisation_id": "%s", "to_fund_id": "%s",
                 "amount": 500, "currency": "GBP", "memo": "for %s's school"}""".formatted(org.id(), org.generalFund(), other.id(),
                other.generalFund(), NAME));
        String expense = api.ledger(org.id(), c -> c.size() == 4).get(2).id();
        api.ok("/v1/corrections", FINANCE, """
                {"organisation_id": "%s", "fund_id": "%s", "kind": "reversal", "corrects_entry_id": "%s",
                 "amount": 2000, "currency": "GBP", "reason": "%s's invoice was void"}""".formatted(org.id(), org.generalFund(),
                expense, NAME));
        List<LedgerEntry> before = api.ledger(org.id(), c -> c.size() == 5);
        api.ledger(other.id(), c -> c.size() == 1);

        // then: the hashed entries and the events name notes, and hold no word of the text
        assertThat(api.count("SELECT count(*) FROM ledger_entries WHERE organisation_id IN (?, ?) AND metadata::text LIKE ?",
                org.id(), other.id(), "%" + NAME + "%")).isZero();
        assertThat(api.count("SELECT count(*) FROM domain_event_entry WHERE convert_from(payload, 'UTF8') LIKE ?",
                "%" + NAME + "%")).isZero();
        assertThat(before.subList(1, 5)).allSatisfy(e -> assertThat(e.metadata().get("note_id").asText()).startsWith("note_"));
        // and members read each text beside its entry, outside its metadata
        JsonNode ledger = api.membersLedger(org.id(), FINANCE, 5);
        assertThat(ledger.findValuesAsText("note")).containsExactly("refund for " + NAME, "INV " + NAME + " 7",
                "for " + NAME + "'s school", NAME + "'s invoice was void");
        assertThat(ledger.get(1).get("metadata").has("note")).isFalse();
        // the receiving organisation too, its own copy
        assertThat(api.membersLedger(other.id(), Api.admin(), 1).get(0).get("note").asText()).isEqualTo("for " + NAME + "'s school");
        // the public, where the entry's content is public
        JsonNode publicRefund = publicLedger(org.id()).get(1);
        assertThat(publicRefund.get("visibility").asText()).isEqualTo("public_full");
        assertThat(publicRefund.get("note").asText()).isEqualTo("refund for " + NAME);

        // when: a viewer may not erase a note, nor anyone a note of another kind of id or none at all
        String refundNote = before.get(1).metadata().get("note_id").asText();
        String notes = api.url("/v1/organisations/" + org.id() + "/notes/");
        assertThat(Http.delete(notes + refundNote, VIEWER).status()).isEqualTo(403);
        assertThat(Http.delete(notes + "note_nothing", FINANCE).status()).isEqualTo(404);
        assertThat(Http.delete(notes + before.get(1).id(), FINANCE).status()).isEqualTo(404);
        assertThat(Http.delete(api.url("/v1/organisations/" + other.id() + "/notes/" + refundNote), Api.admin()).status())
                .isEqualTo(404);
        // finance erases the refund's reason, twice
        Http.Response erased = Http.delete(notes + refundNote, FINANCE);
        Http.Response again = Http.delete(notes + refundNote, FINANCE);

        // then: the text is gone for good, once, and nothing else
        assertThat(erased.status()).as(erased.raw()).isEqualTo(200);
        assertThat(erased.body().at("/data/id").asText()).isEqualTo(refundNote);
        assertThat(again.body().at("/data/erased_at").asText()).isEqualTo(erased.body().at("/data/erased_at").asText());
        assertThat(api.count("SELECT count(*) FROM ledger_notes WHERE id = ? AND text IS NULL AND erased_by = 'usr_notesfinance'",
                refundNote)).isEqualTo(1);
        JsonNode afterErasure = await().atMost(Duration.ofSeconds(30))
                .until(() -> api.membersLedger(org.id(), FINANCE, 5), l -> l.get(1).get("note").isNull());
        assertThat(afterErasure.get(2).get("note").asText()).isEqualTo("INV " + NAME + " 7");
        // the chain is entry for entry what it was, and still verifies
        assertThat(api.chain(org.id())).isEqualTo(before);
        JsonNode verified = await().atMost(Duration.ofSeconds(30))
                .until(() -> api.verification(org.id()), v -> v.get("entries_checked").asInt() == 5);
        assertThat(verified.get("valid").asBoolean()).isTrue();
        assertThat(verified.get("head_entry_hash").asText()).isEqualTo(before.get(4).entryHash());

        // when: the sender erases its copy of the transfer's memo
        String memo = before.get(3).metadata().get("note_id").asText();
        assertThat(Http.delete(notes + memo, FINANCE).status()).isEqualTo(200);

        // then: the receiver's copy is its own, untouched
        assertThat(api.count("SELECT count(*) FROM ledger_notes WHERE id = ? AND organisation_id = ? AND text IS NOT NULL",
                memo, other.id())).isEqualTo(1);
    }

    @Test
    void aRefusedMovementLeavesNoNote() throws SQLException {
        // given: an organisation with 100 in its fund
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        api.receive(Api.admin(), org.id(), org.generalFund(), 100, "GBP", 0);

        // when: an expense beyond the balance, with a reference
        api.refused("/v1/expenses", Api.admin(), """
                {"organisation_id": "%s", "fund_id": "%s", "amount": 101, "currency": "GBP", "category": "programs",
                 "recipient_type": "supplier", "recipient_reference": "INV 8"}""".formatted(org.id(), org.generalFund()),
                409, "conflict");

        // then: its note went with it
        assertThat(api.count("SELECT count(*) FROM ledger_notes WHERE organisation_id = ?", org.id())).isZero();
    }

    private static JsonNode publicLedger(String org) {
        return Http.get(stack.apps().queryUrl() + "/v1/public/organisations/" + org + "/ledger", null).body().get("data");
    }
}
