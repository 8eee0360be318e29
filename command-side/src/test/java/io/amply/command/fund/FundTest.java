package io.amply.command.fund;

import io.amply.command.RuleViolation;
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

    private static RecordExpenseCommand expense(long amount, String currency) {
        return new RecordExpenseCommand("fund_1", "exp_1", null, amount, currency, "programs", "supplier", "INV-7",
                Visibility.public_full, "usr_1", null);
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
    void anExpenseWithinTheBalanceIsRecorded() {
        fixture.given(OPENED, CREDITED)
                .when(expense(10_000, "GBP"))
                .expectEvents(new ExpenseRecordedEvent("fund_1", "org_1", "exp_1", null, 10_000, "GBP", "programs",
                        "supplier", "INV-7", Visibility.public_full, null));
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
                .when(new TransferFundsCommand("fund_1", "trf_1", "org_2", "fund_2", 4_000, "GBP", "partner grant",
                        Visibility.public_full, "usr_1", null))
                .expectEvents(new FundsTransferredOutEvent("fund_1", "org_1", "trf_1", "org_2", "fund_2", 4_000, "GBP",
                        "partner grant", Visibility.public_full, null));
    }

    @Test
    void aFundCannotTransferToItself() {
        fixture.given(OPENED, CREDITED)
                .when(new TransferFundsCommand("fund_1", "trf_1", "org_1", "fund_1", 1, "GBP", null, Visibility.public_full,
                        "usr_1", null))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aTransferArrivesInTheReceivingFund() {
        fixture.given(OPENED)
                .when(new ReceiveTransferCommand("fund_1", "trf_1", "org_2", "fund_9", 4_000, "GBP", "grant",
                        Visibility.public_full, null))
                .expectEvents(new FundsTransferredInEvent("fund_1", "org_1", "trf_1", "org_2", "fund_9", 4_000, "GBP",
                        "grant", Visibility.public_full, null));
    }

    @Test
    void aCorrectionReferencesTheEntryItCorrects() {
        fixture.given(OPENED, CREDITED)
                .when(new RecordCorrectionCommand("fund_1", "cor_1", "reversal", "led_abc", -2_500, "GBP", "duplicate",
                        Visibility.public_full, "usr_1", null))
                .expectEvents(new CorrectionRecordedEvent("fund_1", "org_1", "cor_1", "reversal", "led_abc", -2_500, "GBP",
                        "duplicate", Visibility.public_full, null));
    }

    @Test
    void aCorrectionCannotTakeTheFundBelowZero() {
        fixture.given(OPENED, CREDITED)
                .when(new RecordCorrectionCommand("fund_1", "cor_1", "adjustment", "led_abc", -10_001, "GBP", "x",
                        Visibility.public_full, "usr_1", null))
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
                .when(new RecordCorrectionCommand("fund_1", "cor_1", "undo", "led_abc", -100, "GBP", "x",
                        Visibility.public_full, "usr_1", null))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aCorrectionOfNothingIsRefused() {
        fixture.given(OPENED, CREDITED)
                .when(new RecordCorrectionCommand("fund_1", "cor_1", "adjustment", "led_abc", 0, "GBP", "x",
                        Visibility.public_full, "usr_1", null))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aCorrectionInAnotherCurrencyIsRefused() {
        fixture.given(OPENED, CREDITED)
                .when(new RecordCorrectionCommand("fund_1", "cor_1", "adjustment", "led_abc", 100, "EUR", "x",
                        Visibility.public_full, "usr_1", null))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aTransferInAnotherCurrencyDoesNotArrive() {
        fixture.given(OPENED)
                .when(new ReceiveTransferCommand("fund_1", "trf_1", "org_2", "fund_9", 4_000, "EUR", null,
                        Visibility.public_full, null))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aTransferDoesNotArriveInAClosedFund() {
        fixture.given(OPENED, new FundClosedEvent("fund_1", "org_1", "usr_1"))
                .when(new ReceiveTransferCommand("fund_1", "trf_1", "org_2", "fund_9", 4_000, "GBP", null,
                        Visibility.public_full, null))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aClosedFundCannotTransferOut() {
        // (money in it, so that only its being closed refuses the transfer)
        fixture.given(OPENED, CREDITED, new FundClosedEvent("fund_1", "org_1", "usr_1"))
                .when(new TransferFundsCommand("fund_1", "trf_1", "org_2", "fund_2", 1, "GBP", null, Visibility.public_full,
                        "usr_1", null))
                .expectException(RuleViolation.class).expectExceptionMessage("fund fund_1 is closed").expectNoEvents();
    }

    @Test
    void aFundWithMoneyInItCannotBeClosed() {
        fixture.given(OPENED, CREDITED).when(new CloseFundCommand("fund_1", "usr_1"))
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
    void delayedPublicMoneyMovementsCarryWhenTheyBecomePublic() {
        // given
        Instant after = Instant.parse("2027-03-01T00:00:00Z");

        // when / then: an expense, both halves of a transfer and a correction
        fixture.given(OPENED, CREDITED)
                .when(new RecordExpenseCommand("fund_1", "exp_1", null, 100, "GBP", "programs", "supplier", null,
                        Visibility.delayed_public, "usr_1", after))
                .expectEvents(new ExpenseRecordedEvent("fund_1", "org_1", "exp_1", null, 100, "GBP", "programs",
                        "supplier", null, Visibility.delayed_public, after));
        fixture.given(OPENED, CREDITED)
                .when(new TransferFundsCommand("fund_1", "trf_1", "org_2", "fund_2", 100, "GBP", null,
                        Visibility.delayed_public, "usr_1", after))
                .expectEvents(new FundsTransferredOutEvent("fund_1", "org_1", "trf_1", "org_2", "fund_2", 100, "GBP",
                        null, Visibility.delayed_public, after));
        fixture.given(OPENED)
                .when(new ReceiveTransferCommand("fund_1", "trf_1", "org_2", "fund_9", 100, "GBP", null,
                        Visibility.delayed_public, after))
                .expectEvents(new FundsTransferredInEvent("fund_1", "org_1", "trf_1", "org_2", "fund_9", 100, "GBP",
                        null, Visibility.delayed_public, after));
        fixture.given(OPENED, CREDITED)
                .when(new RecordCorrectionCommand("fund_1", "cor_1", "adjustment", "led_abc", -10, "GBP", "late fee",
                        Visibility.delayed_public, "usr_1", after))
                .expectEvents(new CorrectionRecordedEvent("fund_1", "org_1", "cor_1", "adjustment", "led_abc", -10, "GBP",
                        "late fee", Visibility.delayed_public, after));
    }

    @Test
    void aMomentOfPublicationWithAnotherVisibilityIsRefused() {
        fixture.given(OPENED, CREDITED)
                .when(new RecordExpenseCommand("fund_1", "exp_1", null, 100, "GBP", "programs", "supplier", null,
                        Visibility.internal_only, "usr_1", Instant.parse("2027-03-01T00:00:00Z")))
                .expectException(RuleViolation.class).expectNoEvents();
    }
}
