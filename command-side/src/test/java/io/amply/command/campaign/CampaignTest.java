package io.amply.command.campaign;

import io.amply.command.RuleViolation;
import io.amply.events.Amounts;
import io.amply.events.campaign.ActivateCampaignCommand;
import io.amply.events.campaign.CampaignActivatedEvent;
import io.amply.events.campaign.CampaignCancelledEvent;
import io.amply.events.campaign.CampaignCompletedEvent;
import io.amply.events.campaign.CampaignCreatedEvent;
import io.amply.events.campaign.CampaignDonationRecordedEvent;
import io.amply.events.campaign.CampaignGoalReachedEvent;
import io.amply.events.campaign.CampaignRefundRecordedEvent;
import io.amply.events.campaign.CampaignRefundReversedEvent;
import io.amply.events.campaign.CancelCampaignCommand;
import io.amply.events.campaign.CompleteCampaignCommand;
import io.amply.events.campaign.CreateCampaignCommand;
import io.amply.events.campaign.RecordCampaignDonationCommand;
import io.amply.events.campaign.RecordCampaignRefundCommand;
import io.amply.events.campaign.ReverseCampaignRefundCommand;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;

class CampaignTest {

    private static final Instant STARTS = Instant.parse("2026-12-01T00:00:00Z");
    private static final Instant ENDS = Instant.parse("2026-12-31T00:00:00Z");
    private static final CampaignCreatedEvent CREATED = new CampaignCreatedEvent("camp_1", "org_1", "fund_1",
            "Winter appeal", 10_000, "GBP", STARTS, ENDS, "usr_1");
    private static final CampaignActivatedEvent ACTIVATED = new CampaignActivatedEvent("camp_1", "org_1", "usr_1");
    private static final CampaignDonationRecordedEvent FIRST_DONATION = new CampaignDonationRecordedEvent("camp_1", "org_1",
            "don_1", 4_000, "GBP", 4_000, 1);

    private AggregateTestFixture<Campaign> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Campaign.class);
    }

    private static CreateCampaignCommand create(long goal, String currency, Instant startsAt, Instant endsAt) {
        return new CreateCampaignCommand("camp_1", "org_1", "fund_1", "Winter appeal", goal, currency, startsAt, endsAt, "usr_1");
    }

    @Test
    void aCampaignStartsAsADraftWithItsGoalFundAndDates() {
        fixture.givenNoPriorActivity()
                .when(create(10_000, "GBP", STARTS, ENDS))
                .expectEvents(CREATED);
    }

    @Test
    void aCampaignMayRunWithoutDates() {
        fixture.givenNoPriorActivity()
                .when(create(10_000, "GBP", null, null))
                .expectEvents(new CampaignCreatedEvent("camp_1", "org_1", "fund_1", "Winter appeal", 10_000, "GBP", null,
                        null, "usr_1"));
    }

    @Test
    void aGoalOfNothingIsRefused() {
        fixture.givenNoPriorActivity().when(create(0, "GBP", null, null))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aGoalBeyondWhatJsonCarriesExactlyIsRefused() {
        fixture.givenNoPriorActivity().when(create(9_007_199_254_740_992L, "GBP", null, null))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void anUnsupportedCurrencyIsRefused() {
        fixture.givenNoPriorActivity().when(create(10_000, "JPY", null, null))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aCampaignThatEndsBeforeItStartsIsRefused() {
        fixture.givenNoPriorActivity().when(create(10_000, "GBP", ENDS, STARTS))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aCampaignThatEndsTheMomentItStartsIsRefused() {
        fixture.givenNoPriorActivity().when(create(10_000, "GBP", STARTS, STARTS))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aDraftIsActivated() {
        fixture.given(CREATED)
                .when(new ActivateCampaignCommand("camp_1", STARTS.minusSeconds(60), "usr_1"))
                .expectEvents(ACTIVATED);
    }

    @Test
    void anActiveCampaignCannotBeActivatedAgain() {
        fixture.given(CREATED, ACTIVATED)
                .when(new ActivateCampaignCommand("camp_1", STARTS, "usr_1"))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aCampaignThatAlreadyEndedCannotBeActivated() {
        fixture.given(CREATED)
                .when(new ActivateCampaignCommand("camp_1", ENDS, "usr_1"))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void anActiveCampaignCompletesWithWhatItRaised() {
        fixture.given(CREATED, ACTIVATED, FIRST_DONATION)
                .when(new CompleteCampaignCommand("camp_1", "usr_2"))
                .expectEvents(new CampaignCompletedEvent("camp_1", "org_1", 4_000, 1, "usr_2"));
    }

    @Test
    void aDraftCannotBeCompleted() {
        fixture.given(CREATED)
                .when(new CompleteCampaignCommand("camp_1", "usr_1"))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aDraftIsCancelledWithNoReasonInItsEvent() {
        // (the reason given is kept beside the campaign, where it can be removed; Kafka keeps events for good)
        fixture.given(CREATED)
                .when(new CancelCampaignCommand("camp_1", "usr_1"))
                .expectEvents(new CampaignCancelledEvent("camp_1", "org_1", null, "usr_1"));
    }

    @Test
    void anActiveCampaignIsCancelled() {
        fixture.given(CREATED, ACTIVATED)
                .when(new CancelCampaignCommand("camp_1", "usr_1"))
                .expectEvents(new CampaignCancelledEvent("camp_1", "org_1", null, "usr_1"));
    }

    @Test
    void aCompletedCampaignCannotBeCancelled() {
        fixture.given(CREATED, ACTIVATED, new CampaignCompletedEvent("camp_1", "org_1", 0, 0, "usr_1"))
                .when(new CancelCampaignCommand("camp_1", "usr_1"))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aDonationCountsTowardsTheRaisedTotalAndTheDonors() {
        fixture.given(CREATED, ACTIVATED)
                .when(new RecordCampaignDonationCommand("camp_1", "don_1", 4_000))
                .expectEvents(FIRST_DONATION);
    }

    @Test
    void aDonationThatWouldTakeTheRaisedTotalBeyondWhatAnAmountMayBeIsRefused() {
        fixture.given(CREATED, ACTIVATED,
                        new CampaignDonationRecordedEvent("camp_1", "org_1", "don_1", Amounts.MAX, "GBP",
                                Amounts.MAX, 1))
                .when(new RecordCampaignDonationCommand("camp_1", "don_2", 1))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aCampaignDonationOfNothingIsRefused() {
        fixture.given(CREATED, ACTIVATED)
                .when(new RecordCampaignDonationCommand("camp_1", "don_1", 0))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void theDonationThatReachesTheGoalSaysSo() {
        // given
        fixture.given(CREATED, ACTIVATED, FIRST_DONATION)
                // when
                .when(new RecordCampaignDonationCommand("camp_1", "don_2", 6_000))
                // then
                .expectEvents(new CampaignDonationRecordedEvent("camp_1", "org_1", "don_2", 6_000, "GBP", 10_000, 2),
                        new CampaignGoalReachedEvent("camp_1", "org_1", "don_2", 10_000, 10_000, "GBP"));
    }

    @Test
    void aDonationThatOvershootsTheGoalReachesIt() {
        fixture.given(CREATED, ACTIVATED, FIRST_DONATION)
                .when(new RecordCampaignDonationCommand("camp_1", "don_2", 7_500))
                .expectEvents(new CampaignDonationRecordedEvent("camp_1", "org_1", "don_2", 7_500, "GBP", 11_500, 2),
                        new CampaignGoalReachedEvent("camp_1", "org_1", "don_2", 10_000, 11_500, "GBP"));
    }

    @Test
    void theGoalIsReachedOnlyOnceEvenAfterARefundTookTheTotalBelowIt() {
        // given: the goal was reached, then a refund took the total below it
        fixture.given(CREATED, ACTIVATED,
                        new CampaignDonationRecordedEvent("camp_1", "org_1", "don_1", 10_000, "GBP", 10_000, 1),
                        new CampaignGoalReachedEvent("camp_1", "org_1", "don_1", 10_000, 10_000, "GBP"),
                        new CampaignRefundRecordedEvent("camp_1", "org_1", "don_1", "rfd_1", 1_000, "GBP", 9_000, 1))
                // when: another donation takes it above again
                .when(new RecordCampaignDonationCommand("camp_1", "don_2", 2_000))
                // then: no second goal-reached event
                .expectEvents(new CampaignDonationRecordedEvent("camp_1", "org_1", "don_2", 2_000, "GBP", 11_000, 2));
    }

    @Test
    void aCampaignThatWasNeverActivatedCannotCountADonation() {
        fixture.given(CREATED)
                .when(new RecordCampaignDonationCommand("camp_1", "don_1", 4_000))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void moneyThatArrivesAfterTheCampaignCompletedIsStillCounted() {
        // the donation was accepted while the campaign was active; its money arrived later
        fixture.given(CREATED, ACTIVATED, new CampaignCompletedEvent("camp_1", "org_1", 0, 0, "usr_1"))
                .when(new RecordCampaignDonationCommand("camp_1", "don_1", 4_000))
                .expectEvents(FIRST_DONATION);
    }

    @Test
    void moneyThatArrivesAfterTheCampaignWasCancelledIsStillCounted() {
        fixture.given(CREATED, ACTIVATED, new CampaignCancelledEvent("camp_1", "org_1", null, "usr_1"))
                .when(new RecordCampaignDonationCommand("camp_1", "don_1", 4_000))
                .expectEvents(FIRST_DONATION);
    }

    @Test
    void aPartialRefundLowersTheRaisedTotalButTheDonorStillCounts() {
        fixture.given(CREATED, ACTIVATED, FIRST_DONATION)
                .when(new RecordCampaignRefundCommand("camp_1", "don_1", "rfd_1", 1_500, false))
                .expectEvents(new CampaignRefundRecordedEvent("camp_1", "org_1", "don_1", "rfd_1", 1_500, "GBP", 2_500, 1));
    }

    @Test
    void aDonationRefundedInFullNoLongerCountsAsADonor() {
        fixture.given(CREATED, ACTIVATED, FIRST_DONATION,
                        new CampaignRefundRecordedEvent("camp_1", "org_1", "don_1", "rfd_1", 1_500, "GBP", 2_500, 1))
                .when(new RecordCampaignRefundCommand("camp_1", "don_1", "rfd_2", 2_500, true))
                .expectEvents(new CampaignRefundRecordedEvent("camp_1", "org_1", "don_1", "rfd_2", 2_500, "GBP", 0, 0));
    }

    @Test
    void aRefundAfterTheCampaignCompletedIsStillRecorded() {
        fixture.given(CREATED, ACTIVATED, FIRST_DONATION, new CampaignCompletedEvent("camp_1", "org_1", 4_000, 1, "usr_1"))
                .when(new RecordCampaignRefundCommand("camp_1", "don_1", "rfd_1", 4_000, true))
                .expectEvents(new CampaignRefundRecordedEvent("camp_1", "org_1", "don_1", "rfd_1", 4_000, "GBP", 0, 0));
    }

    @Test
    void aFailedRefundBookedBackCountsAgainAndItsDonorToo() {
        fixture.given(CREATED, ACTIVATED, FIRST_DONATION,
                        new CampaignRefundRecordedEvent("camp_1", "org_1", "don_1", "rfd_1", 4_000, "GBP", 0, 0))
                .when(new ReverseCampaignRefundCommand("camp_1", "don_1", "rfr_1", 4_000, true))
                .expectEvents(new CampaignRefundReversedEvent("camp_1", "org_1", "don_1", "rfr_1", 4_000, "GBP", 4_000, 1));
    }

    @Test
    void aPartOfARefundBookedBackLeavesTheDonorCountAsItWas() {
        fixture.given(CREATED, ACTIVATED, FIRST_DONATION,
                        new CampaignRefundRecordedEvent("camp_1", "org_1", "don_1", "rfd_1", 1_500, "GBP", 2_500, 1))
                .when(new ReverseCampaignRefundCommand("camp_1", "don_1", "rfr_1", 1_000, false))
                .expectEvents(new CampaignRefundReversedEvent("camp_1", "org_1", "don_1", "rfr_1", 1_000, "GBP", 3_500, 1));
    }

    @Test
    void aRefundBookedBackAfterTheGoalWasReachedDoesNotReachItAgain() {
        fixture.given(CREATED, ACTIVATED,
                        new CampaignDonationRecordedEvent("camp_1", "org_1", "don_1", 10_000, "GBP", 10_000, 1),
                        new CampaignGoalReachedEvent("camp_1", "org_1", "don_1", 10_000, 10_000, "GBP"),
                        new CampaignRefundRecordedEvent("camp_1", "org_1", "don_1", "rfd_1", 10_000, "GBP", 0, 0))
                .when(new ReverseCampaignRefundCommand("camp_1", "don_1", "rfr_1", 10_000, true))
                .expectEvents(new CampaignRefundReversedEvent("camp_1", "org_1", "don_1", "rfr_1", 10_000, "GBP", 10_000, 1));
    }

    @Test
    void aRefundBookedBackOfNothingIsRefused() {
        fixture.given(CREATED, ACTIVATED, FIRST_DONATION)
                .when(new ReverseCampaignRefundCommand("camp_1", "don_1", "rfr_1", 0, false))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aRefundBookedBackBeyondWhatAnAmountMayBeIsRefused() {
        fixture.given(CREATED, ACTIVATED, FIRST_DONATION)
                .when(new ReverseCampaignRefundCommand("camp_1", "don_1", "rfr_1", io.amply.events.Amounts.MAX, false))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aRefundBeyondWhatTheCampaignRaisedIsRefused() {
        fixture.given(CREATED, ACTIVATED, FIRST_DONATION)
                .when(new RecordCampaignRefundCommand("camp_1", "don_1", "rfd_1", 4_001, false))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aRefundOfNothingIsRefused() {
        fixture.given(CREATED, ACTIVATED, FIRST_DONATION)
                .when(new RecordCampaignRefundCommand("camp_1", "don_1", "rfd_1", 0, false))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aSecondRefundInFullOfTheOnlyDonorIsRefused() {
        // given: the only donor's donation was reported refunded in full, though 1,000 of the total remains
        fixture.given(CREATED, ACTIVATED, FIRST_DONATION,
                        new CampaignRefundRecordedEvent("camp_1", "org_1", "don_1", "rfd_1", 3_000, "GBP", 1_000, 0))
                // when: another refund in full arrives (a bug upstream)
                .when(new RecordCampaignRefundCommand("camp_1", "don_1", "rfd_2", 500, true))
                // then: the donor count never goes below nothing
                .expectException(RuleViolation.class).expectNoEvents();
    }
}
