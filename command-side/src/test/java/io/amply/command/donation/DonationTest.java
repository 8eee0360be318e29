package io.amply.command.donation;

import io.amply.command.RuleViolation;
import io.amply.events.Visibility;
import io.amply.events.donation.CompleteDonationCommand;
import io.amply.events.donation.DonationFailedEvent;
import io.amply.events.donation.DonationInitiatedEvent;
import io.amply.events.donation.DonationReceivedEvent;
import io.amply.events.donation.DonationRefundReversedEvent;
import io.amply.events.donation.DonationRefundedEvent;
import io.amply.events.donation.FailDonationCommand;
import io.amply.events.donation.InitiateDonationCommand;
import io.amply.events.donation.RecordReceivedDonationCommand;
import io.amply.events.donation.RefundDonationCommand;
import io.amply.events.donation.RefundDonationToTotalCommand;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.hamcrest.Matchers.containsString;

class DonationTest {

    private static final DonationInitiatedEvent INITIATED = new DonationInitiatedEvent("don_1", "org_1", "fund_1", null,
            null, 2500, "GBP", Visibility.public_full, false, null);
    private static final DonationReceivedEvent RECEIVED = new DonationReceivedEvent("don_1", "org_1", "fund_1", null,
            2500, "GBP", 75, "stripe", "card", "pi_1", Visibility.public_full, null, null);
    /** Received outside Stripe, as a finance user records it: its refunds are recorded through the API. */
    private static final DonationReceivedEvent RECEIVED_BY_TRANSFER = new DonationReceivedEvent("don_1", "org_1",
            "fund_1", null, 2500, "GBP", 0, null, "bank_transfer", "BACS 1", Visibility.public_full, null, null);

    private AggregateTestFixture<Donation> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Donation.class);
    }

    private static RecordReceivedDonationCommand record(long amount, long fee) {
        return new RecordReceivedDonationCommand("don_1", "org_1", "fund_1", null, amount, "GBP", fee, "bank",
                "bank_transfer", "BACS 1", Visibility.public_full, "usr_1", null, null);
    }

    @Test
    void aDonationStartsPending() {
        fixture.givenNoPriorActivity()
                .when(new InitiateDonationCommand("don_1", "org_1", "fund_1", null, null, 2500, "GBP", Visibility.public_full,
                        false, null))
                .expectEvents(INITIATED);
    }

    @Test
    void recordingMoneyReceivedOutsideTheProviderInitiatesAndCompletesAtOnce() {
        fixture.givenNoPriorActivity()
                .when(record(2500, 30))
                .expectEvents(INITIATED, new DonationReceivedEvent("don_1", "org_1", "fund_1", null, 2500, "GBP", 30,
                        "bank", "bank_transfer", "BACS 1", Visibility.public_full, null, null));
    }

    @Test
    void aDonationOfNothingIsRefused() {
        fixture.givenNoPriorActivity().when(record(0, 0)).expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void anAmountBeyondWhatJsonCarriesExactlyIsRefused() {
        fixture.givenNoPriorActivity().when(record(9_007_199_254_740_992L, 0))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aFeeLargerThanTheDonationIsRefused() {
        fixture.givenNoPriorActivity().when(record(100, 101)).expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aPendingDonationCompletesWithTheProvidersActualFee() {
        fixture.given(INITIATED).when(new CompleteDonationCommand("don_1", "card", "pi_1", 75, "stripe"))
                .expectEvents(RECEIVED);
    }

    @Test
    void aCompletedDonationCannotCompleteAgain() {
        fixture.given(INITIATED, RECEIVED).when(new CompleteDonationCommand("don_1", "card", "pi_2", 75, "stripe"))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aFailedDonationStillCompletesWhenThePaymentGoesThroughLater() {
        fixture.given(INITIATED, new DonationFailedEvent("don_1", "org_1", "card_declined"))
                .when(new CompleteDonationCommand("don_1", "card", "pi_1", 75, "stripe"))
                .expectEvents(RECEIVED);
    }

    @Test
    void aProvidersRunningTotalOfRefundsRefundsOnlyThePartNotRefundedYet() {
        fixture.given(INITIATED, RECEIVED, new DonationRefundedEvent("don_1", "org_1", "fund_1", "rfd_1", 1000, "GBP",
                        "asked", 1000, Visibility.public_full, null, null, 2500L, false, null))
                .when(new RefundDonationToTotalCommand("don_1", "rfd_2", 1500, "asked", "stripe", "rfr_1", "expired_or_canceled_card"))
                .expectEvents(new DonationRefundedEvent("don_1", "org_1", "fund_1", "rfd_2", 500, "GBP", "asked", 1500,
                        Visibility.public_full, null, null, 2500L, false, null))
                .expectResultMessagePayload(500L);
    }

    @Test
    void aRunningTotalAlreadyRefundedRefundsNothing() {
        fixture.given(INITIATED, RECEIVED, new DonationRefundedEvent("don_1", "org_1", "fund_1", "rfd_1", 1000, "GBP",
                        "asked", 1000, Visibility.public_full, null, null, 2500L, false, null))
                .when(new RefundDonationToTotalCommand("don_1", "rfd_2", 1000, "asked", "stripe", "rfr_1", "expired_or_canceled_card"))
                .expectNoEvents().expectResultMessagePayload(0L);
    }

    @Test
    void aProvidersRefundThatFailedIsBookedBack() {
        // given: 1,500 refunded through the provider, of which a refund of 1,000 then failed
        fixture.given(INITIATED, RECEIVED, new DonationRefundedEvent("don_1", "org_1", "fund_1", "rfd_1", 1500, "GBP",
                        "asked", 1500, Visibility.public_full, null, null, 2500L, false, null))
                // when: the provider's refunds come to 500 now
                .when(new RefundDonationToTotalCommand("don_1", "rfd_2", 500, "asked", "stripe", "rfr_1", "expired_or_canceled_card"))
                // then
                .expectEvents(new DonationRefundReversedEvent("don_1", "org_1", "fund_1", "rfr_1", 1000, "GBP",
                        "expired_or_canceled_card", 500, Visibility.public_full, null, null, 2500L))
                .expectResultMessagePayload(-1000L);
    }

    @Test
    void aRefundBookedBackCanBeRefundedAgainLater() {
        // given: refunded in full, then the refund failed and was booked back
        fixture.given(INITIATED, RECEIVED,
                        new DonationRefundedEvent("don_1", "org_1", "fund_1", "rfd_1", 2500, "GBP", "asked", 2500,
                                Visibility.public_full, null, null, 2500L, false, null),
                        new DonationRefundReversedEvent("don_1", "org_1", "fund_1", "rfr_1", 2500, "GBP", "refund_failed", 0,
                                Visibility.public_full, null, null, 2500L))
                // when: the organisation refunds it again, and it goes through
                .when(new RefundDonationToTotalCommand("don_1", "rfd_2", 2500, "asked", "stripe", "rfr_2", null))
                // then: the same amount is new money out (before the reversal existed it was taken as nothing new)
                .expectEvents(new DonationRefundedEvent("don_1", "org_1", "fund_1", "rfd_2", 2500, "GBP", "asked", 2500,
                        Visibility.public_full, null, null, 2500L, false, null))
                .expectResultMessagePayload(2500L);
    }

    @Test
    void aProvidersLowerTotalDoesNotBookBackRefundsRecordedByHand() {
        // given: a bank transfer, refunded by hand
        fixture.given(INITIATED, RECEIVED_BY_TRANSFER, new DonationRefundedEvent("don_1", "org_1", "fund_1", "rfd_1", 1000,
                        "GBP", null, 1000, Visibility.public_full, null, null, 2500L, true, "not_1"))
                // when
                .when(new RefundDonationToTotalCommand("don_1", "rfd_2", 0, null, "stripe", "rfr_1", "refund_failed"))
                // then
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aProvidersRefundOfADonationNotCompletedYetIsRefusedForNow() {
        fixture.given(INITIATED, new DonationFailedEvent("don_1", "org_1", "card_declined"))
                .when(new RefundDonationToTotalCommand("don_1", "rfd_1", 1000, "asked", "stripe", "rfr_1", "expired_or_canceled_card"))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aProvidersRunningTotalBeyondWhatWasReceivedIsRefused() {
        fixture.given(INITIATED, RECEIVED)
                .when(new RefundDonationToTotalCommand("don_1", "rfd_1", 2501, "asked", "stripe", "rfr_1", "expired_or_canceled_card"))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aPendingDonationFailsWithNoMoneyMoved() {
        fixture.given(INITIATED).when(new FailDonationCommand("don_1", "card_declined"))
                .expectEvents(new DonationFailedEvent("don_1", "org_1", "card_declined"));
    }

    @Test
    void aCompletedDonationCannotFail() {
        fixture.given(INITIATED, RECEIVED).when(new FailDonationCommand("don_1", "card_declined"))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aPendingDonationCannotBeRefunded() {
        fixture.given(INITIATED).when(new RefundDonationCommand("don_1", "rfd_1", 100, "usr_1", null))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aRefundOfNothingIsRefused() {
        fixture.given(INITIATED, RECEIVED_BY_TRANSFER).when(new RefundDonationCommand("don_1", "rfd_1", 0, "usr_1", null))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aFailedDonationCannotBeRefunded() {
        fixture.given(INITIATED, new DonationFailedEvent("don_1", "org_1", "card_declined"))
                .when(new RefundDonationCommand("don_1", "rfd_1", 100, "usr_1", null))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aPartialRefundKeepsARunningTotal() {
        fixture.given(INITIATED, RECEIVED_BY_TRANSFER, new DonationRefundedEvent("don_1", "org_1", "fund_1", "rfd_1",
                        1000, "GBP", "asked", 1000, Visibility.public_full, null, null, 2500L, false, null))
                .when(new RefundDonationCommand("don_1", "rfd_2", 1500, "usr_1", null))
                .expectEvents(new DonationRefundedEvent("don_1", "org_1", "fund_1", "rfd_2", 1500, "GBP", null,
                        2500, Visibility.public_full, null, null, 2500L, true, null));
    }

    @Test
    void aRefundsReasonKeptInANoteIsNamedByTheEventNotWrittenIntoIt() {
        fixture.given(INITIATED, RECEIVED_BY_TRANSFER)
                .when(new RefundDonationCommand("don_1", "rfd_1", 1000, "usr_1", "note_1"))
                .expectEvents(new DonationRefundedEvent("don_1", "org_1", "fund_1", "rfd_1", 1000, "GBP", null,
                        1000, Visibility.public_full, null, null, 2500L, true, "note_1"));
    }

    @Test
    void aDonationPaidThroughStripeIsRefundedOnlyFromStripesReports() {
        // given: Stripe completed it (and may already have reported a refund made in its dashboard)
        fixture.given(INITIATED, RECEIVED)
                // when: a finance user records a refund of it by hand
                .when(new RefundDonationCommand("don_1", "rfd_1", 500, "usr_1", null))
                // then: refused, so the same money is never counted twice, whichever comes first
                .expectException(RuleViolation.class)
                .expectExceptionMessage(containsString("refund it in Stripe"))
                .expectNoEvents();
    }

    @Test
    void aStripePaymentCompletedByHandIsRefundedOnlyFromStripesReports() {
        // given: a finance user completed it with the payment intent's id (the webhook was not working)
        DonationReceivedEvent byHand = new DonationReceivedEvent("don_1", "org_1", "fund_1", null, 2500, "GBP", 0, null,
                "other", "pi_1", Visibility.public_full, null, null);
        fixture.given(INITIATED, byHand)
                // when: a refund of it is recorded by hand, which Stripe's charge.refunded would also report
                .when(new RefundDonationCommand("don_1", "rfd_1", 500, "usr_1", null))
                // then
                .expectException(RuleViolation.class)
                .expectExceptionMessage(containsString("refund it in Stripe"))
                .expectNoEvents();
    }

    @Test
    void refundingMoreThanWasReceivedIsRefused() {
        fixture.given(INITIATED, RECEIVED_BY_TRANSFER).when(new RefundDonationCommand("don_1", "rfd_1", 2501, "usr_1", null))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aRefundOfACampaignDonationNamesTheCampaign() {
        // given
        DonationInitiatedEvent initiated = new DonationInitiatedEvent("don_1", "org_1", "fund_1", "camp_1", null, 2500,
                "GBP", Visibility.public_full, false, null);
        DonationReceivedEvent received = new DonationReceivedEvent("don_1", "org_1", "fund_1", "camp_1", 2500, "GBP", 0,
                null, "bank_transfer", "BACS 1", Visibility.public_full, null, null);

        fixture.given(initiated, received)
                // when
                .when(new RefundDonationCommand("don_1", "rfd_1", 500, "usr_1", null))
                // then
                .expectEvents(new DonationRefundedEvent("don_1", "org_1", "fund_1", "rfd_1", 500, "GBP", null, 500,
                        Visibility.public_full, "camp_1", null, 2500L, true, null));
    }

    @Test
    void aDonationRecordedForABusinessCarriesTheBusinessIntoBothEvents() {
        fixture.givenNoPriorActivity()
                .when(new RecordReceivedDonationCommand("don_1", "org_1", "fund_1", "camp_1", 2500, "GBP", 0, null,
                        "matching", "mp_1:don_0", Visibility.public_full, null, "biz_1", null))
                .expectEvents(new DonationInitiatedEvent("don_1", "org_1", "fund_1", "camp_1", "biz_1", 2500, "GBP",
                                Visibility.public_full, false, null),
                        new DonationReceivedEvent("don_1", "org_1", "fund_1", "camp_1", 2500, "GBP", 0, null, "matching",
                                "mp_1:don_0", Visibility.public_full, "biz_1", null));
    }

    @Test
    void aBusinessDonationCompletedLaterStillNamesTheBusiness() {
        fixture.given(new DonationInitiatedEvent("don_1", "org_1", "fund_1", null, "biz_1", 2500, "GBP",
                        Visibility.public_full, false, null))
                .when(new CompleteDonationCommand("don_1", "card", "pi_1", 75, "stripe"))
                .expectEvents(new DonationReceivedEvent("don_1", "org_1", "fund_1", null, 2500, "GBP", 75, "stripe", "card",
                        "pi_1", Visibility.public_full, "biz_1", null));
    }

    @Test
    void aDelayedPublicDonationCarriesWhenItBecomesPublicFromInitiationToReceiptAndRefund() {
        // given: a card donation the provider completes later
        Instant after = Instant.parse("2027-03-01T00:00:00Z");
        DonationInitiatedEvent initiated = new DonationInitiatedEvent("don_1", "org_1", "fund_1", null, null, 2500, "GBP",
                Visibility.delayed_public, false, after);
        DonationReceivedEvent received = new DonationReceivedEvent("don_1", "org_1", "fund_1", null, 2500, "GBP", 75,
                "stripe", "card", "pi_1", Visibility.delayed_public, null, after);

        // when / then: started, completed, refunded, each with the donation's moment
        fixture.givenNoPriorActivity()
                .when(new InitiateDonationCommand("don_1", "org_1", "fund_1", null, null, 2500, "GBP",
                        Visibility.delayed_public, false, after))
                .expectEvents(initiated);
        fixture.given(initiated).when(new CompleteDonationCommand("don_1", "card", "pi_1", 75, "stripe"))
                .expectEvents(received);
        fixture.given(initiated, received).when(new RefundDonationToTotalCommand("don_1", "rfd_1", 500, "asked", "stripe", "rfr_1", "expired_or_canceled_card"))
                .expectEvents(new DonationRefundedEvent("don_1", "org_1", "fund_1", "rfd_1", 500, "GBP", "asked", 500,
                        Visibility.delayed_public, null, after, 2500L, false, null));
    }

    @Test
    void aDelayedPublicDonationRecordedAsReceivedCarriesItsMomentInBothEvents() {
        // given
        Instant after = Instant.parse("2027-03-01T00:00:00Z");

        // when
        fixture.givenNoPriorActivity()
                .when(new RecordReceivedDonationCommand("don_1", "org_1", "fund_1", null, 2500, "GBP", 0, null,
                        "bank_transfer", "BACS 1", Visibility.delayed_public, "usr_1", null, after))
                // then
                .expectEvents(new DonationInitiatedEvent("don_1", "org_1", "fund_1", null, null, 2500, "GBP",
                                Visibility.delayed_public, false, after),
                        new DonationReceivedEvent("don_1", "org_1", "fund_1", null, 2500, "GBP", 0, null, "bank_transfer",
                                "BACS 1", Visibility.delayed_public, null, after));
    }

    @Test
    void aMomentOfPublicationWithAnotherVisibilityIsRefused() {
        fixture.givenNoPriorActivity()
                .when(new InitiateDonationCommand("don_1", "org_1", "fund_1", null, null, 2500, "GBP",
                        Visibility.public_full, false, Instant.parse("2027-03-01T00:00:00Z")))
                .expectException(RuleViolation.class).expectNoEvents();
    }
}
