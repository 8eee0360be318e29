package io.amply.command.fund;

import io.amply.command.RuleViolation;
import io.amply.events.Amounts;
import io.amply.events.Visibility;
import io.amply.events.fund.AdjustFundBalanceCommand;
import io.amply.events.fund.CloseFundCommand;
import io.amply.events.fund.CorrectionRecordedEvent;
import io.amply.events.fund.ExpenseRecordedEvent;
import io.amply.events.fund.FundBalanceAdjustedEvent;
import io.amply.events.fund.FundClosedEvent;
import io.amply.events.fund.FundCreatedEvent;
import io.amply.events.fund.FundRestrictions;
import io.amply.events.fund.FundsTransferredInEvent;
import io.amply.events.fund.FundsTransferredOutEvent;
import io.amply.events.fund.OpenFundCommand;
import io.amply.events.fund.ReceiveTransferCommand;
import io.amply.events.fund.RecordCorrectionCommand;
import io.amply.events.fund.RecordExpenseCommand;
import io.amply.events.fund.TransferFundsCommand;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;

class FundTest {

    private static final FundCreatedEvent OPENED = new FundCreatedEvent("fund_1", "org_1", "General Fund", "general",
            "GBP", FundRestrictions.none(), "usr_1");
    private static final FundBalanceAdjustedEvent CREDITED = new FundBalanceAdjustedEvent("fund_1", "org_1", 10_000, "GBP",
            "donation_received", "don_1", 10_000);

    private AggregateTestFixture<Fund> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Fund.class);
    }

    /** A correction of led_abc, an expense of 2,500 (−2,500 in the ledger). */
    private static RecordCorrectionCommand correction(String kind, long amount, String currency) {
        return correctionOf("led_abc", "expense", -2_500, kind, amount, currency);
    }

    private static RecordCorrectionCommand correctionOf(String entry, String type, long entryAmount, String kind, long amount,
                                                        String currency) {
        return new RecordCorrectionCommand("fund_1", "cor_1", kind, entry, type, entryAmount, null, amount, currency,
                Visibility.public_full, "usr_1", null, null);
    }

    private static CorrectionRecordedEvent corrected(String kind, long amount) {
        return new CorrectionRecordedEvent("fund_1", "org_1", "cor_1", kind, "led_abc", amount, "GBP", null,
                Visibility.public_full, null, null, "expense", null);
    }

    private static RecordExpenseCommand expense(long amount, String currency) {
        return new RecordExpenseCommand("fund_1", "exp_1", null, amount, currency, "programs", "supplier",
                Visibility.public_full, "usr_1", null, null);
    }

    @Test
    void aFundOpensWithItsTypeCurrencyAndRestrictions() {
        FundRestrictions restrictions = new FundRestrictions("wells", "Kenya", LocalDate.of(2026, 1, 1), LocalDate.of(2026, 12, 31));
        fixture.givenNoPriorActivity()
                .when(new OpenFundCommand("fund_1", "org_1", "Wells", "restricted", "EUR", restrictions, "usr_1"))
                .expectEvents(new FundCreatedEvent("fund_1", "org_1", "Wells", "restricted", "EUR", restrictions, "usr_1"));
    }

    @Test
    void anUnknownFundTypeIsRefused() {
        fixture.givenNoPriorActivity()
                .when(new OpenFundCommand("fund_1", "org_1", "X", "savings", "EUR", FundRestrictions.none(), "usr_1"))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aRestrictionWindowThatEndsBeforeItStartsIsRefused() {
        fixture.givenNoPriorActivity()
                .when(new OpenFundCommand("fund_1", "org_1", "X", "restricted", "EUR",
                        new FundRestrictions(null, null, LocalDate.of(2026, 2, 1), LocalDate.of(2026, 1, 1)), "usr_1"))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void receivedMoneyIsBookedOntoTheBalance() {
        fixture.given(OPENED)
                .when(new AdjustFundBalanceCommand("fund_1", 10_000, "donation_received", "don_1"))
                .expectEvents(CREDITED);
    }

    @Test
    void aRefundRecordedByHandIsHeldToTheBalance() {
        // given: a fund holding 10,000
        fixture.given(OPENED, CREDITED)
                // when: a refund recorded by hand of 10,001
                .when(new AdjustFundBalanceCommand("fund_1", -10_001, "donation_refunded", "rfd_1", true))
                // then
                .expectException(RuleViolation.class).expectNoEvents();
        fixture.given(OPENED, CREDITED)
                .when(new AdjustFundBalanceCommand("fund_1", -10_000, "donation_refunded", "rfd_1", true))
                .expectEvents(new FundBalanceAdjustedEvent("fund_1", "org_1", -10_000, "GBP", "donation_refunded", "rfd_1", 0));
    }

    @Test
    void aRefundRecordedByHandOnAClosedFundIsBookedBelowZero() {
        // given: a fund closed at zero, which nothing can be moved into beforehand
        FundClosedEvent closed = new FundClosedEvent("fund_1", "org_1", "usr_1");
        fixture.given(OPENED, closed)
                // when / then: the refund of a donation it once received is booked, to be brought back to zero later
                .when(new AdjustFundBalanceCommand("fund_1", -800, "donation_refunded", "rfd_1", true))
                .expectEvents(new FundBalanceAdjustedEvent("fund_1", "org_1", -800, "GBP", "donation_refunded", "rfd_1", -800));
    }

    @Test
    void aRefundStripeReportedIsBookedEvenBelowZero() {
        fixture.given(OPENED, CREDITED)
                .when(new AdjustFundBalanceCommand("fund_1", -10_001, "donation_refunded", "rfd_1", false))
                .expectEvents(new FundBalanceAdjustedEvent("fund_1", "org_1", -10_001, "GBP", "donation_refunded", "rfd_1", -1));
    }

    @Test
    void moneyThatWouldTakeTheBalanceBeyondWhatAnAmountMayBeIsRefused() {
        // given: a fund holding 2^53 - 1 less 10,000 minor units
        FundBalanceAdjustedEvent nearlyFull = new FundBalanceAdjustedEvent("fund_1", "org_1", Amounts.MAX - 10_000,
                "GBP", "donation_received", "don_0", Amounts.MAX - 10_000);

        // when / then: 10,000 more fills it to the limit, 10,001 is refused (not wrapped, not beyond 2^53 - 1)
        fixture.given(OPENED, nearlyFull)
                .when(new AdjustFundBalanceCommand("fund_1", 10_000, "donation_received", "don_1"))
                .expectEvents(new FundBalanceAdjustedEvent("fund_1", "org_1", 10_000, "GBP", "donation_received", "don_1",
                        Amounts.MAX));
        fixture.given(OPENED, nearlyFull)
                .when(new AdjustFundBalanceCommand("fund_1", 10_001, "donation_received", "don_1"))
                .expectException(RuleViolation.class).expectNoEvents();
        fixture.given(OPENED, nearlyFull)
                .when(new ReceiveTransferCommand("fund_1", "trf_1", "org_2", "fund_9", 10_001, "GBP",
                        Visibility.public_full, null, null))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void anExpenseWithinTheBalanceIsRecorded() {
        fixture.given(OPENED, CREDITED)
                .when(expense(10_000, "GBP"))
                .expectEvents(new ExpenseRecordedEvent("fund_1", "org_1", "exp_1", null, 10_000, "GBP", "programs",
                        "supplier", null, Visibility.public_full, null, null));
    }

    @Test
    void spendingBeyondTheBalanceIsRefused() {
        fixture.given(OPENED, CREDITED).when(expense(10_001, "GBP")).expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void spendingInAnotherCurrencyIsRefused() {
        fixture.given(OPENED, CREDITED).when(expense(100, "EUR")).expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aTransferLeavesTheFundWithinItsBalance() {
        fixture.given(OPENED, CREDITED)
                .when(new TransferFundsCommand("fund_1", "trf_1", "org_2", "fund_2", 4_000, "GBP",
                        Visibility.public_full, "usr_1", null, null))
                .expectEvents(new FundsTransferredOutEvent("fund_1", "org_1", "trf_1", "org_2", "fund_2", 4_000, "GBP",
                        null, Visibility.public_full, null, null));
    }

    @Test
    void spendingNothingIsRefused() {
        fixture.given(OPENED, CREDITED).when(expense(0, "GBP")).expectException(RuleViolation.class).expectNoEvents();
        fixture.given(OPENED, CREDITED).when(transfer(0, "GBP", Visibility.public_full, null))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aTransferBeyondTheBalanceIsRefused() {
        fixture.given(OPENED, CREDITED).when(transfer(10_001, "GBP", Visibility.public_full, null))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aTransferInAnotherCurrencyThanTheFundsIsRefused() {
        fixture.given(OPENED, CREDITED).when(transfer(100, "EUR", Visibility.public_full, null))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aTransfersMomentOfPublicationWithAnotherVisibilityIsRefused() {
        fixture.given(OPENED, CREDITED).when(transfer(100, "GBP", Visibility.public_full, Instant.parse("2027-03-01T00:00:00Z")))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    private static TransferFundsCommand transfer(long amount, String currency, Visibility visibility, Instant publicAfter) {
        return new TransferFundsCommand("fund_1", "trf_1", "org_2", "fund_2", amount, currency, visibility, "usr_1",
                publicAfter, null);
    }

    @Test
    void aFundCannotTransferToItself() {
        fixture.given(OPENED, CREDITED)
                .when(new TransferFundsCommand("fund_1", "trf_1", "org_1", "fund_1", 1, "GBP", Visibility.public_full,
                        "usr_1", null, null))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aTransferArrivesInTheReceivingFund() {
        fixture.given(OPENED)
                .when(new ReceiveTransferCommand("fund_1", "trf_1", "org_2", "fund_9", 4_000, "GBP",
                        Visibility.public_full, null, null))
                .expectEvents(new FundsTransferredInEvent("fund_1", "org_1", "trf_1", "org_2", "fund_9", 4_000, "GBP",
                        null, Visibility.public_full, null, null));
    }

    @Test
    void aTransfersNoteGoesWithItToTheReceivingFund() {
        fixture.given(OPENED)
                .when(new ReceiveTransferCommand("fund_1", "trf_1", "org_2", "fund_9", 4_000, "GBP",
                        Visibility.public_full, null, "note_1"))
                .expectEvents(new FundsTransferredInEvent("fund_1", "org_1", "trf_1", "org_2", "fund_9", 4_000, "GBP",
                        null, Visibility.public_full, null, "note_1"));
    }

    @Test
    void anExpensesRecipientReferenceKeptInANoteIsNamedByTheEvent() {
        fixture.given(OPENED, CREDITED)
                .when(new RecordExpenseCommand("fund_1", "exp_1", null, 100, "GBP", "programs", "supplier",
                        Visibility.public_full, "usr_1", null, "note_1"))
                .expectEvents(new ExpenseRecordedEvent("fund_1", "org_1", "exp_1", null, 100, "GBP", "programs",
                        "supplier", null, Visibility.public_full, null, "note_1"));
    }

    @Test
    void aReversalUndoesWhatTheEntryMoved() {
        fixture.given(OPENED, CREDITED)
                .when(correction("reversal", 2_500, "GBP"))
                .expectEvents(corrected("reversal", 2_500));
    }

    @Test
    void aReversalOfAnotherAmountThanTheEntryMovedIsRefused() {
        fixture.given(OPENED, CREDITED)
                .when(correction("reversal", 50_000, "GBP"))
                .expectException(RuleViolation.class).expectExceptionMessage(
                        "a reversal of entry led_abc moves exactly 2500, what the entry still moves").expectNoEvents();
    }

    @Test
    void anEntryIsReversedOnce() {
        fixture.given(OPENED, CREDITED, corrected("reversal", 2_500))
                .when(correction("reversal", 2_500, "GBP"))
                .expectException(RuleViolation.class)
                .expectExceptionMessage("entry led_abc has already been corrected to nothing").expectNoEvents();
    }

    @Test
    void aReversalAfterAnAdjustmentUndoesWhatIsLeft() {
        fixture.given(OPENED, CREDITED, corrected("adjustment", 1_000))
                .when(correction("reversal", 1_500, "GBP"))
                .expectEvents(corrected("reversal", 1_500));
    }

    @Test
    void anAdjustmentMayMakeAnExpenseLarger() {
        fixture.given(OPENED, CREDITED)
                .when(correction("adjustment", -300, "GBP"))
                .expectEvents(corrected("adjustment", -300));
    }

    @Test
    void adjustmentsChangeAnEntryAtMostToNothing() {
        fixture.given(OPENED, CREDITED, corrected("adjustment", 2_000))
                .when(correction("adjustment", 501, "GBP"))
                .expectException(RuleViolation.class).expectExceptionMessage(
                        "an adjustment changes entry led_abc at most to nothing, not past it: at most 500").expectNoEvents();
    }

    @Test
    void aFeeMayBeCorrected() {
        fixture.given(OPENED, CREDITED)
                .when(correctionOf("led_fee", "fee", -250, "adjustment", 100, "GBP"))
                .expectEvents(new CorrectionRecordedEvent("fund_1", "org_1", "cor_1", "adjustment", "led_fee", 100, "GBP", null,
                        Visibility.public_full, null, null, "fee", null));
    }

    @Test
    void aDonationIsCorrectedByRefundingItNotByACorrection() {
        fixture.given(OPENED, CREDITED)
                .when(correctionOf("led_don", "donation_received", 10_000, "reversal", -10_000, "GBP"))
                .expectException(RuleViolation.class).expectExceptionMessage(
                        "entry led_don is a donation_received; a donation is corrected by refunding it (POST /v1/donations/{id}/refund)")
                .expectNoEvents();
    }

    @Test
    void aTransferIsUndoneByATransferBackNotByACorrection() {
        fixture.given(OPENED, CREDITED)
                .when(correctionOf("led_out", "transfer_out", -4_000, "reversal", 4_000, "GBP"))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aCorrectionIsNotCorrectedItself() {
        fixture.given(OPENED, CREDITED)
                .when(correctionOf("led_cor", "reversal", 2_500, "reversal", -2_500, "GBP"))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aClosedFundTakesNoCorrection() {
        fixture.given(OPENED, new FundClosedEvent("fund_1", "org_1", "usr_1"))
                .when(correction("reversal", 2_500, "GBP"))
                .expectException(RuleViolation.class).expectExceptionMessage("fund fund_1 is closed").expectNoEvents();
    }

    @Test
    void aCorrectionCannotTakeTheFundBelowZero() {
        fixture.given(OPENED, CREDITED)
                .when(correction("adjustment", -10_001, "GBP"))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aFundInAnUnsupportedCurrencyIsRefused() {
        fixture.givenNoPriorActivity()
                .when(new OpenFundCommand("fund_1", "org_1", "X", "general", "JPY", FundRestrictions.none(), "usr_1"))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aCorrectionOfAnUnknownKindIsRefused() {
        fixture.given(OPENED, CREDITED)
                .when(correction("undo", -100, "GBP"))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aCorrectionOfNothingIsRefused() {
        fixture.given(OPENED, CREDITED)
                .when(correction("adjustment", 0, "GBP"))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aCorrectionInAnotherCurrencyIsRefused() {
        fixture.given(OPENED, CREDITED)
                .when(correction("adjustment", 100, "EUR"))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aTransferInAnotherCurrencyDoesNotArrive() {
        fixture.given(OPENED)
                .when(new ReceiveTransferCommand("fund_1", "trf_1", "org_2", "fund_9", 4_000, "EUR",
                        Visibility.public_full, null, null))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aTransferDoesNotArriveInAClosedFund() {
        fixture.given(OPENED, new FundClosedEvent("fund_1", "org_1", "usr_1"))
                .when(new ReceiveTransferCommand("fund_1", "trf_1", "org_2", "fund_9", 4_000, "GBP",
                        Visibility.public_full, null, null))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aClosedFundBelowZeroTakesATransferBackToZeroButNoMore() {
        // given: closed, then a late payment moved out, then its refund booked: −800
        FundBalanceAdjustedEvent refunded = new FundBalanceAdjustedEvent("fund_1", "org_1", -800, "GBP", "donation_refunded",
                "don_9", -800);
        fixture.given(OPENED, new FundClosedEvent("fund_1", "org_1", "usr_1"), refunded)
                .when(new ReceiveTransferCommand("fund_1", "trf_1", "org_1", "fund_2", 800, "GBP", Visibility.public_full, null, null))
                .expectEvents(new FundsTransferredInEvent("fund_1", "org_1", "trf_1", "org_1", "fund_2", 800, "GBP", null,
                        Visibility.public_full, null, null));
        fixture.given(OPENED, new FundClosedEvent("fund_1", "org_1", "usr_1"), refunded)
                .when(new ReceiveTransferCommand("fund_1", "trf_1", "org_1", "fund_2", 801, "GBP", Visibility.public_full, null, null))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aFundWithMoneyInItCannotBeClosed() {
        fixture.given(OPENED, CREDITED).when(new CloseFundCommand("fund_1", "usr_1"))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aClosedFundIsNotClosedAgain() {
        fixture.given(OPENED, new FundClosedEvent("fund_1", "org_1", "usr_1")).when(new CloseFundCommand("fund_1", "usr_1"))
                .expectException(RuleViolation.class).expectExceptionMessage("fund fund_1 is closed").expectNoEvents();
    }

    @Test
    void anEntryOfATypeThatIsNeitherAnExpenseNorAFeeIsNotCorrected() {
        fixture.given(OPENED, CREDITED).when(correctionOf("led_abc", "refund_reversed", 1_000, "reversal", -1_000, "GBP"))
                .expectException(RuleViolation.class).expectExceptionMessage(org.hamcrest.Matchers.containsString(
                        "only expenses and fees are corrected")).expectNoEvents();
    }

    @Test
    void aCorrectionsMomentOfPublicationWithAnotherVisibilityIsRefused() {
        fixture.given(OPENED, CREDITED)
                .when(new RecordCorrectionCommand("fund_1", "cor_1", "adjustment", "led_abc", "expense", -2_500, null, -10,
                        "GBP", Visibility.public_full, "usr_1", Instant.parse("2027-03-01T00:00:00Z"), null))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void anEmptyFundCloses() {
        fixture.given(OPENED).when(new CloseFundCommand("fund_1", "usr_1"))
                .expectEvents(new FundClosedEvent("fund_1", "org_1", "usr_1"));
    }

    @Test
    void aClosedFundCannotSpend() {
        fixture.given(OPENED, CREDITED, new FundClosedEvent("fund_1", "org_1", "usr_1"))
                .when(expense(1, "GBP")).expectException(RuleViolation.class)
                .expectExceptionMessage("fund fund_1 is closed").expectNoEvents();
    }

    @Test
    void aClosedFundStillTransfersOutMoneyThatArrivedAfterItClosed() {
        fixture.given(OPENED, new FundClosedEvent("fund_1", "org_1", "usr_1"), CREDITED)
                .when(new TransferFundsCommand("fund_1", "trf_1", "org_1", "fund_2", 10_000, "GBP",
                        Visibility.public_full, "usr_1", null, null))
                .expectEvents(new FundsTransferredOutEvent("fund_1", "org_1", "trf_1", "org_1", "fund_2", 10_000, "GBP",
                        null, Visibility.public_full, null, null));
    }

    @Test
    void delayedPublicMoneyMovementsCarryWhenTheyBecomePublic() {
        // given
        Instant after = Instant.parse("2027-03-01T00:00:00Z");

        // when / then: an expense, both halves of a transfer and a correction
        fixture.given(OPENED, CREDITED)
                .when(new RecordExpenseCommand("fund_1", "exp_1", null, 100, "GBP", "programs", "supplier",
                        Visibility.delayed_public, "usr_1", after, null))
                .expectEvents(new ExpenseRecordedEvent("fund_1", "org_1", "exp_1", null, 100, "GBP", "programs",
                        "supplier", null, Visibility.delayed_public, after, null));
        fixture.given(OPENED, CREDITED)
                .when(new TransferFundsCommand("fund_1", "trf_1", "org_2", "fund_2", 100, "GBP",
                        Visibility.delayed_public, "usr_1", after, null))
                .expectEvents(new FundsTransferredOutEvent("fund_1", "org_1", "trf_1", "org_2", "fund_2", 100, "GBP",
                        null, Visibility.delayed_public, after, null));
        fixture.given(OPENED)
                .when(new ReceiveTransferCommand("fund_1", "trf_1", "org_2", "fund_9", 100, "GBP",
                        Visibility.delayed_public, after, null))
                .expectEvents(new FundsTransferredInEvent("fund_1", "org_1", "trf_1", "org_2", "fund_9", 100, "GBP",
                        null, Visibility.delayed_public, after, null));
        fixture.given(OPENED, CREDITED)
                .when(new RecordCorrectionCommand("fund_1", "cor_1", "adjustment", "led_abc", "expense", -2_500, "prj_1", -10,
                        "GBP", Visibility.delayed_public, "usr_1", after, null))
                .expectEvents(new CorrectionRecordedEvent("fund_1", "org_1", "cor_1", "adjustment", "led_abc", -10, "GBP",
                        null, Visibility.delayed_public, after, "prj_1", "expense", null));
    }

    @Test
    void aMomentOfPublicationWithAnotherVisibilityIsRefused() {
        fixture.given(OPENED, CREDITED)
                .when(new RecordExpenseCommand("fund_1", "exp_1", null, 100, "GBP", "programs", "supplier",
                        Visibility.internal_only, "usr_1", Instant.parse("2027-03-01T00:00:00Z"), null))
                .expectException(RuleViolation.class).expectNoEvents();
    }
}
