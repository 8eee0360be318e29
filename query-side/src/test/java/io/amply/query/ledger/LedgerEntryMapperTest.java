package io.amply.query.ledger;

import io.amply.events.Visibility;
import io.amply.events.donation.DonationReceivedEvent;
import io.amply.events.donation.DonationRefundReversedEvent;
import io.amply.events.donation.DonationRefundedEvent;
import io.amply.events.fund.CorrectionRecordedEvent;
import io.amply.events.fund.ExpenseRecordedEvent;
import io.amply.events.fund.FundsTransferredInEvent;
import io.amply.events.fund.FundsTransferredOutEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LedgerEntryMapperTest {

    private static final Instant AT = Instant.parse("2026-11-24T09:15:00.123456789Z");

    private static DonationReceivedEvent donation(long fee) {
        return new DonationReceivedEvent("don_1", "org_1", "fund_1", "camp_1", 2500, "GBP", fee, "stripe",
                "card", "pi_123", Visibility.public_aggregated, null, null);
    }

    @Test
    void aDonationWithAFeeMakesAGrossEntryAndANegativeFeeEntry() {
        // when
        List<EntryDraft> drafts = LedgerEntryMapper.donationReceived(donation(75), "event-1", AT);

        // then
        assertThat(drafts).extracting(EntryDraft::type).containsExactly("donation_received", "fee");
        assertThat(drafts).extracting(EntryDraft::amount).containsExactly(2500L, -75L);
        assertThat(drafts).extracting(EntryDraft::visibility).containsOnly("public_aggregated");
        assertThat(drafts.get(1).metadata().get("charged_by").asText()).isEqualTo("stripe");
        assertThat(drafts.get(1).metadata().get("original_entry_id").asText()).isEqualTo(drafts.get(0).id());
    }

    @Test
    void withoutAFeeOnlyTheGrossIsEntered() {
        assertThat(LedgerEntryMapper.donationReceived(donation(0), "event-1", AT)).hasSize(1);
    }

    @Test
    void theSameEventAlwaysMakesTheSameEntries() {
        // the basis of replay: ids, timestamps (truncated to microseconds) and content come from the event
        List<EntryDraft> first = LedgerEntryMapper.donationReceived(donation(75), "event-1", AT);
        List<EntryDraft> again = LedgerEntryMapper.donationReceived(donation(75), "event-1", AT);

        assertThat(again).isEqualTo(first);
        assertThat(first.get(0).createdAt()).isEqualTo("2026-11-24T09:15:00.123456Z");
        assertThat(first.get(0).id()).startsWith("led_").hasSize(20);
    }

    @Test
    void theLedgerCarriesNoPaymentReference() {
        // a bank reference can name the donor; the ledger holds references to our own ids only
        List<EntryDraft> drafts = LedgerEntryMapper.donationReceived(donation(75), "event-1", AT);

        assertThat(drafts).allSatisfy(d -> assertThat(d.metadata().toString()).doesNotContain("pi_123"));
    }

    @Test
    void aBusinessDonationNamesTheBusinessInTheReceivedEntry() {
        // given
        DonationReceivedEvent match = new DonationReceivedEvent("don_2", "org_1", "fund_1", "camp_1", 2500, "GBP", 0, null,
                "matching", "mp_1:don_1", Visibility.public_full, "biz_1", null);

        // when
        List<EntryDraft> drafts = LedgerEntryMapper.donationReceived(match, "event-2", AT);

        // then
        assertThat(drafts).hasSize(1);
        assertThat(drafts.get(0).metadata().get("business_id").asText()).isEqualTo("biz_1");
        assertThat(drafts.get(0).metadata().get("campaign_id").asText()).isEqualTo("camp_1");
        assertThat(drafts.get(0).metadata().get("payment_method").asText()).isEqualTo("matching");
    }

    @Test
    void aDonationWithoutABusinessHasNoBusinessIdInItsMetadata() {
        // an absent member, not a null: earlier entries' content (and so their hashes) stays as it was
        List<EntryDraft> drafts = LedgerEntryMapper.donationReceived(donation(0), "event-1", AT);

        assertThat(drafts.get(0).metadata().has("business_id")).isFalse();
    }

    @Test
    void everyEntryOfADelayedPublicDonationCarriesWhenItBecomesPublic() {
        // given: the moment comes from the event, so a replay makes the same entries
        DonationReceivedEvent delayed = new DonationReceivedEvent("don_1", "org_1", "fund_1", null, 2500, "GBP", 75,
                "stripe", "card", "pi_123", Visibility.delayed_public, null,
                Instant.parse("2027-02-22T09:15:00.123456789Z"));

        // when
        List<EntryDraft> drafts = LedgerEntryMapper.donationReceived(delayed, "event-1", AT);

        // then: the gross and the fee entry alike, in the created_at format
        assertThat(drafts).extracting(EntryDraft::visibility).containsOnly("delayed_public");
        assertThat(drafts).hasSize(2).allSatisfy(d ->
                assertThat(d.metadata().get("public_after").asText()).isEqualTo("2027-02-22T09:15:00.123456Z"));
        assertThat(LedgerEntryMapper.donationReceived(delayed, "event-1", AT)).isEqualTo(drafts);
    }

    @Test
    void aPublicFullDonationHasNoPublicAfter() {
        // given
        DonationReceivedEvent open = new DonationReceivedEvent("don_1", "org_1", "fund_1", null, 2500, "GBP", 75,
                "stripe", "card", "pi_123", Visibility.public_full, null, null);

        // when
        List<EntryDraft> drafts = LedgerEntryMapper.donationReceived(open, "event-1", AT);

        // then
        assertThat(drafts).hasSize(2).allSatisfy(d -> assertThat(d.metadata().has("public_after")).isFalse());
    }

    @Test
    void aDelayedPublicEventRecordedBeforePublicAfterExistedKeepsItsContent() {
        // an event stored without the field maps as before (same hashes); its entry stays withheld
        DonationReceivedEvent legacy = new DonationReceivedEvent("don_1", "org_1", "fund_1", null, 2500, "GBP", 0,
                null, "card", "pi_123", Visibility.delayed_public, null, null);

        assertThat(LedgerEntryMapper.donationReceived(legacy, "event-1", AT).get(0).metadata().has("public_after")).isFalse();
    }

    @Test
    void delayedPublicExpensesTransfersAndCorrectionsCarryPublicAfterToo() {
        // given
        Instant after = Instant.parse("2027-01-01T00:00:00Z");
        String expected = "2027-01-01T00:00:00.000000Z";

        // when
        List<EntryDraft> drafts = new ArrayList<>();
        drafts.addAll(LedgerEntryMapper.expense(new ExpenseRecordedEvent("fund_1", "org_1", "exp_1", null, 100, "GBP",
                "programs", "supplier", null, Visibility.delayed_public, after, null), "event-2", AT));
        drafts.addAll(LedgerEntryMapper.transferredOut(new FundsTransferredOutEvent("fund_1", "org_1", "trf_1", "org_2",
                "fund_2", 100, "GBP", null, Visibility.delayed_public, after, null), "event-3", AT));
        drafts.addAll(LedgerEntryMapper.transferredIn(new FundsTransferredInEvent("fund_2", "org_2", "trf_1", "org_1",
                "fund_1", 100, "GBP", null, Visibility.delayed_public, after, null), "event-4", AT));
        drafts.addAll(LedgerEntryMapper.correction(new CorrectionRecordedEvent("fund_1", "org_1", "cor_1", "adjustment",
                "led_abc", -10, "GBP", "late fee", Visibility.delayed_public, after, null, "expense", null), "event-5", AT));
        drafts.addAll(LedgerEntryMapper.donationRefunded(new DonationRefundedEvent("don_1", "org_1", "fund_1", "rfd_1",
                100, "GBP", "asked", 100, Visibility.delayed_public, null, after, 100L, false, null, null), "event-6", AT));

        // then
        assertThat(drafts).hasSize(5).allSatisfy(d ->
                assertThat(d.metadata().get("public_after").asText()).isEqualTo(expected));
    }

    @Test
    void freeTextNamedByANoteStaysOutOfTheHashedMetadata() {
        // given: each kind of free text as the API records it since 2026-11-29: in a note, named by id
        List<EntryDraft> drafts = new ArrayList<>();
        drafts.addAll(LedgerEntryMapper.expense(new ExpenseRecordedEvent("fund_1", "org_1", "exp_1", null, 100, "GBP",
                "programs", "supplier", null, Visibility.public_full, null, "note_1"), "event-2", AT));
        drafts.addAll(LedgerEntryMapper.transferredOut(new FundsTransferredOutEvent("fund_1", "org_1", "trf_1", "org_2",
                "fund_2", 100, "GBP", null, Visibility.public_full, null, "note_2"), "event-3", AT));
        drafts.addAll(LedgerEntryMapper.transferredIn(new FundsTransferredInEvent("fund_2", "org_2", "trf_1", "org_1",
                "fund_1", 100, "GBP", null, Visibility.public_full, null, "note_2"), "event-4", AT));
        drafts.addAll(LedgerEntryMapper.correction(new CorrectionRecordedEvent("fund_1", "org_1", "cor_1", "adjustment",
                "led_abc", -10, "GBP", null, Visibility.public_full, null, null, "expense", "note_3"), "event-5", AT));
        drafts.addAll(LedgerEntryMapper.donationRefunded(new DonationRefundedEvent("don_1", "org_1", "fund_1", "rfd_1",
                100, "GBP", null, 100, Visibility.public_full, null, null, 100L, true, "note_4", null), "event-6", AT));

        // then: the note's id, and no member for the text, not even a null
        assertThat(drafts).extracting(d -> d.metadata().get("note_id").asText())
                .containsExactly("note_1", "note_2", "note_2", "note_3", "note_4");
        assertThat(drafts).allSatisfy(d -> assertThat(d.metadata().has("reason") || d.metadata().has("memo")
                || d.metadata().has("recipient_reference")).isFalse());
    }

    @Test
    void aRefundOrCorrectionRecordedBeforeNotesKeepsItsReasonEvenNullSoItsHashStands() {
        // when: events as they were stored before the note existed
        EntryDraft refund = LedgerEntryMapper.donationRefunded(new DonationRefundedEvent("don_1", "org_1", "fund_1", "rfd_1",
                100, "GBP", null, 100, Visibility.public_full, null, null, 100L, null, null, null), "event-6", AT).get(0);
        EntryDraft correction = LedgerEntryMapper.correction(new CorrectionRecordedEvent("fund_1", "org_1", "cor_1",
                "reversal", "led_abc", 10, "GBP", "typo", Visibility.public_full, null, null, null, null), "event-5", AT).get(0);

        // then: their metadata exactly as before, a null reason a JSON null, and no note_id
        assertThat(refund.metadata().toString())
                .isEqualTo("{\"donation_id\":\"don_1\",\"fund_id\":\"fund_1\",\"refund_id\":\"rfd_1\",\"reason\":null}");
        assertThat(correction.metadata().get("reason").asText()).isEqualTo("typo");
        assertThat(correction.metadata().has("note_id")).isFalse();
    }

    @Test
    void aRefundThatFailedIsMoneyBackInPointingAtTheDonationsEntry() {
        // when
        List<EntryDraft> drafts = LedgerEntryMapper.draftsFor(new DonationRefundReversedEvent("don_1", "org_1", "fund_1",
                "rfr_1", 700, "GBP", "expired_or_canceled_card", 300, Visibility.public_full, "camp_1", null, 1000L, "re_1", false), "event-7", AT);

        // then: positive, typed, references only, and the writer fills in the donation_received entry's id
        assertThat(drafts).singleElement().satisfies(d -> {
            assertThat(d.type()).isEqualTo("refund_reversed");
            assertThat(d.amount()).isEqualTo(700);
            assertThat(d.refundsDonationId()).isEqualTo("don_1");
            assertThat(d.metadata().toString()).isEqualTo("{\"donation_id\":\"don_1\",\"fund_id\":\"fund_1\","
                    + "\"reversal_id\":\"rfr_1\",\"reason\":\"expired_or_canceled_card\"}");
        });
        assertThat(LedgerEntryMapper.TYPES).contains("refund_reversed");
    }

    @Test
    void differentEventsOrPositionsGetDifferentIds() {
        assertThat(LedgerEntryIds.of("event-1", 0)).isNotEqualTo(LedgerEntryIds.of("event-1", 1))
                .isNotEqualTo(LedgerEntryIds.of("event-2", 0));
    }
}
