package io.amply.command.business;

import io.amply.command.RuleViolation;
import io.amply.events.Visibility;
import io.amply.events.business.AcceptMatchingProgrammeCommand;
import io.amply.events.business.ApplyMatchCommand;
import io.amply.events.business.BusinessCreatedEvent;
import io.amply.events.business.BusinessVerifiedEvent;
import io.amply.events.business.CreateBusinessCommand;
import io.amply.events.business.DeclineMatchingProgrammeCommand;
import io.amply.events.business.MatchCommittedEvent;
import io.amply.events.business.MatchingProgrammeAcceptedEvent;
import io.amply.events.business.MatchingProgrammeDeclinedEvent;
import io.amply.events.business.MatchingProgrammeStartedEvent;
import io.amply.events.business.StartMatchingProgrammeCommand;
import io.amply.events.business.VerifyBusinessCommand;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;

class BusinessTest {

    private static final Instant STARTS = Instant.parse("2026-12-01T00:00:00Z");
    private static final Instant ENDS = Instant.parse("2026-12-31T00:00:00Z");
    private static final Instant DURING = Instant.parse("2026-12-10T12:00:00Z");

    private static final BusinessCreatedEvent CREATED = new BusinessCreatedEvent("biz_1", "Acme Ltd", "GB", "usr_9");
    private static final BusinessVerifiedEvent VERIFIED = new BusinessVerifiedEvent("biz_1", "usr_staff");
    /** 1:1 on campaign camp_1 of org_1, up to 5,000 pence, in December. */
    private static final MatchingProgrammeStartedEvent CAMPAIGN_PROGRAMME = new MatchingProgrammeStartedEvent("biz_1",
            "mp_1", "org_1", "camp_1", 100, 5_000, "GBP", STARTS, ENDS, "usr_9", true);
    /** 1:2 on every GBP donation to org_1, up to 100,000 pence, open-ended. */
    private static final MatchingProgrammeStartedEvent ORGANISATION_PROGRAMME = new MatchingProgrammeStartedEvent("biz_1",
            "mp_2", "org_1", null, 50, 100_000, "GBP", null, null, "usr_9", true);
    private static final MatchingProgrammeAcceptedEvent CAMPAIGN_ACCEPTED = new MatchingProgrammeAcceptedEvent("biz_1", "mp_1",
            "org_1", "usr_org_admin");
    private static final MatchingProgrammeAcceptedEvent ORGANISATION_ACCEPTED = new MatchingProgrammeAcceptedEvent("biz_1",
            "mp_2", "org_1", "usr_org_admin");

    private AggregateTestFixture<Business> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Business.class);
    }

    private static StartMatchingProgrammeCommand start(int ratio, long cap, String currency, Instant startsAt, Instant endsAt) {
        return new StartMatchingProgrammeCommand("biz_1", "mp_1", "org_1", "camp_1", ratio, cap, currency, startsAt, endsAt,
                "usr_9");
    }

    private static ApplyMatchCommand offer(String programmeId, String donationId, String organisationId, String campaignId,
                                           long amount, String currency, Instant at) {
        return new ApplyMatchCommand("biz_1", programmeId, donationId, "don_m" + donationId.substring(4), organisationId,
                "fund_1", campaignId, amount, currency, Visibility.public_aggregated, at, null);
    }

    private static MatchCommittedEvent committed(String programmeId, String donationId, long amount, String campaignId,
                                                 long used) {
        return new MatchCommittedEvent("biz_1", programmeId, donationId, "don_m" + donationId.substring(4), amount, "org_1",
                "fund_1", campaignId, "GBP", Visibility.public_aggregated, used, null);
    }

    @Test
    void aBusinessIsRegisteredPendingWithItsManager() {
        fixture.givenNoPriorActivity()
                .when(new CreateBusinessCommand("biz_1", "Acme Ltd", "GB", "usr_9"))
                .expectEvents(CREATED);
    }

    @Test
    void aCountryThatIsNotAnIsoCodeIsRefused() {
        fixture.givenNoPriorActivity()
                .when(new CreateBusinessCommand("biz_1", "Acme Ltd", "Britain", "usr_9"))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aBusinessWithoutAManagerIsRefused() {
        fixture.givenNoPriorActivity()
                .when(new CreateBusinessCommand("biz_1", "Acme Ltd", "GB", null))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aPendingBusinessIsVerified() {
        fixture.given(CREATED)
                .when(new VerifyBusinessCommand("biz_1", "usr_staff"))
                .expectEvents(VERIFIED);
    }

    @Test
    void aVerifiedBusinessCannotBeVerifiedAgain() {
        fixture.given(CREATED, VERIFIED)
                .when(new VerifyBusinessCommand("biz_1", "usr_staff"))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aVerifiedBusinessProposesAMatchingProgrammeThatAwaitsTheOrganisationsConsent() {
        fixture.given(CREATED, VERIFIED)
                .when(start(100, 5_000, "GBP", STARTS, ENDS))
                .expectEvents(CAMPAIGN_PROGRAMME);
    }

    @Test
    void aBusinessThatIsNotVerifiedCannotStartAMatchingProgramme() {
        fixture.given(CREATED)
                .when(start(100, 5_000, "GBP", STARTS, ENDS))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aProgrammeIdCannotBeUsedTwice() {
        fixture.given(CREATED, VERIFIED, CAMPAIGN_PROGRAMME)
                .when(start(100, 5_000, "GBP", STARTS, ENDS))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aRatioOfNothingIsRefused() {
        fixture.given(CREATED, VERIFIED).when(start(0, 5_000, "GBP", null, null))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aRatioAboveTenToOneIsRefused() {
        fixture.given(CREATED, VERIFIED).when(start(1001, 5_000, "GBP", null, null))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aCapBeyondWhatAnAmountMayBeIsRefused() {
        fixture.given(CREATED, VERIFIED).when(start(100, io.amply.events.Amounts.MAX + 1, "GBP", null, null))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aCapOfNothingIsRefused() {
        fixture.given(CREATED, VERIFIED).when(start(100, 0, "GBP", null, null))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void anUnsupportedCurrencyIsRefused() {
        fixture.given(CREATED, VERIFIED).when(start(100, 5_000, "JPY", null, null))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aProgrammeThatEndsBeforeItStartsIsRefused() {
        fixture.given(CREATED, VERIFIED).when(start(100, 5_000, "GBP", ENDS, STARTS))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aOneToOneProgrammeMatchesTheWholeDonation() {
        fixture.given(CREATED, VERIFIED, CAMPAIGN_PROGRAMME, CAMPAIGN_ACCEPTED)
                .when(offer("mp_1", "don_1", "org_1", "camp_1", 2_000, "GBP", DURING))
                .expectEvents(committed("mp_1", "don_1", 2_000, "camp_1", 2_000));
    }

    @Test
    void aMatchOfADelayedPublicDonationBecomesPublicWithIt() {
        // given: a match would give the donation's amount away, so it is revealed no earlier
        Instant after = Instant.parse("2027-03-01T00:00:00Z");

        fixture.given(CREATED, VERIFIED, CAMPAIGN_PROGRAMME, CAMPAIGN_ACCEPTED)
                // when
                .when(new ApplyMatchCommand("biz_1", "mp_1", "don_1", "don_m1", "org_1", "fund_1", "camp_1", 2_000, "GBP",
                        Visibility.delayed_public, DURING, after))
                // then
                .expectEvents(new MatchCommittedEvent("biz_1", "mp_1", "don_1", "don_m1", 2_000, "org_1", "fund_1",
                        "camp_1", "GBP", Visibility.delayed_public, 2_000, after));
    }

    @Test
    void aOneToTwoProgrammeMatchesHalfRoundedDownToAMinorUnit() {
        fixture.given(CREATED, VERIFIED, ORGANISATION_PROGRAMME, ORGANISATION_ACCEPTED)
                .when(offer("mp_2", "don_1", "org_1", null, 2_501, "GBP", DURING))
                .expectEvents(committed("mp_2", "don_1", 1_250, null, 1_250));
    }

    @Test
    void aMatchNeverGoesBeyondTheCap() {
        // given: 4,000 of the 5,000 cap is used
        fixture.given(CREATED, VERIFIED, CAMPAIGN_PROGRAMME, CAMPAIGN_ACCEPTED, committed("mp_1", "don_1", 4_000, "camp_1", 4_000))
                // when: a donation of 2,500 would be matched 1:1
                .when(offer("mp_1", "don_2", "org_1", "camp_1", 2_500, "GBP", DURING))
                // then: only what is left of the cap
                .expectEvents(committed("mp_1", "don_2", 1_000, "camp_1", 5_000));
    }

    @Test
    void aUsedUpCapMatchesNothing() {
        fixture.given(CREATED, VERIFIED, CAMPAIGN_PROGRAMME, CAMPAIGN_ACCEPTED, committed("mp_1", "don_1", 5_000, "camp_1", 5_000))
                .when(offer("mp_1", "don_2", "org_1", "camp_1", 2_500, "GBP", DURING))
                .expectSuccessfulHandlerExecution().expectNoEvents();
    }

    @Test
    void aDonationTooSmallToMatchAMinorUnitMatchesNothing() {
        // given: a programme stored before consent existed (awaitsConsent null), which matches at once
        fixture.given(CREATED, VERIFIED, new MatchingProgrammeStartedEvent("biz_1", "mp_3", "org_1", null, 1, 5_000, "GBP",
                        null, null, "usr_9", null))
                .when(offer("mp_3", "don_1", "org_1", null, 99, "GBP", DURING))
                .expectSuccessfulHandlerExecution().expectNoEvents();
    }

    @Test
    void aDonationToAnotherOrganisationIsNotMatched() {
        fixture.given(CREATED, VERIFIED, ORGANISATION_PROGRAMME, ORGANISATION_ACCEPTED)
                .when(offer("mp_2", "don_1", "org_2", null, 2_000, "GBP", DURING))
                .expectSuccessfulHandlerExecution().expectNoEvents();
    }

    @Test
    void aCampaignProgrammeDoesNotMatchADonationOutsideTheCampaign() {
        fixture.given(CREATED, VERIFIED, CAMPAIGN_PROGRAMME, CAMPAIGN_ACCEPTED)
                .when(offer("mp_1", "don_1", "org_1", "camp_2", 2_000, "GBP", DURING))
                .expectSuccessfulHandlerExecution().expectNoEvents();
    }

    @Test
    void anOrganisationProgrammeMatchesADonationToAnyOfItsCampaigns() {
        fixture.given(CREATED, VERIFIED, ORGANISATION_PROGRAMME, ORGANISATION_ACCEPTED)
                .when(offer("mp_2", "don_1", "org_1", "camp_7", 2_000, "GBP", DURING))
                .expectEvents(committed("mp_2", "don_1", 1_000, "camp_7", 1_000));
    }

    @Test
    void aDonationInAnotherCurrencyIsNotMatched() {
        fixture.given(CREATED, VERIFIED, ORGANISATION_PROGRAMME, ORGANISATION_ACCEPTED)
                .when(offer("mp_2", "don_1", "org_1", null, 2_000, "EUR", DURING))
                .expectSuccessfulHandlerExecution().expectNoEvents();
    }

    @Test
    void aDonationBeforeTheProgrammeStartsIsNotMatched() {
        fixture.given(CREATED, VERIFIED, CAMPAIGN_PROGRAMME, CAMPAIGN_ACCEPTED)
                .when(offer("mp_1", "don_1", "org_1", "camp_1", 2_000, "GBP", STARTS.minusMillis(1)))
                .expectSuccessfulHandlerExecution().expectNoEvents();
    }

    @Test
    void aDonationWhenTheProgrammeEndsIsNotMatched() {
        fixture.given(CREATED, VERIFIED, CAMPAIGN_PROGRAMME, CAMPAIGN_ACCEPTED)
                .when(offer("mp_1", "don_1", "org_1", "camp_1", 2_000, "GBP", ENDS))
                .expectSuccessfulHandlerExecution().expectNoEvents();
    }

    @Test
    void anOfferToAProgrammeThisCopyDoesNotKnowIsTakenForAStaleCopyNotForTheClientsMistake() {
        // given: programmes are offered from those stored, so one unknown here was started after this copy was made
        fixture.given(CREATED, VERIFIED)
                // when
                .when(offer("mp_9", "don_1", "org_1", null, 2_000, "GBP", DURING))
                // then: the donation's unit of work rolls back and is tried again on the stored events
                .expectException(ConcurrencyException.class).expectNoEvents();
    }

    @Test
    void aProgrammeStartsProposedAndMatchesNothingUntilItsOrganisationAcceptsIt() {
        // given: a programme the organisation has not accepted; offers come only for active ones, so one for it
        // here means this copy is older than the acceptance
        fixture.given(CREATED, VERIFIED, ORGANISATION_PROGRAMME)
                // when
                .when(offer("mp_2", "don_1", "org_1", null, 2_000, "GBP", DURING))
                // then: tried again on the stored events, nothing matched by this copy
                .expectException(ConcurrencyException.class).expectNoEvents();
    }

    @Test
    void aProgrammeStartedBeforeConsentExistedMatchesWithoutAnAcceptance() {
        // given: its event has no awaitsConsent (null), as every one stored before 2026-11-28
        fixture.given(CREATED, VERIFIED, new MatchingProgrammeStartedEvent("biz_1", "mp_2", "org_1", null, 50, 100_000,
                        "GBP", null, null, "usr_9", null))
                // when
                .when(offer("mp_2", "don_1", "org_1", null, 2_000, "GBP", DURING))
                // then
                .expectEvents(committed("mp_2", "don_1", 1_000, null, 1_000));
    }

    @Test
    void theOrganisationAcceptsAProposedProgramme() {
        fixture.given(CREATED, VERIFIED, ORGANISATION_PROGRAMME)
                .when(new AcceptMatchingProgrammeCommand("biz_1", "mp_2", "org_1", "usr_org_admin"))
                .expectEvents(ORGANISATION_ACCEPTED);
    }

    @Test
    void aProgrammeIsNotAcceptedTwice() {
        fixture.given(CREATED, VERIFIED, ORGANISATION_PROGRAMME, ORGANISATION_ACCEPTED)
                .when(new AcceptMatchingProgrammeCommand("biz_1", "mp_2", "org_1", "usr_org_admin"))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aProgrammeTheBusinessDoesNotRunIsNeitherAcceptedNorDeclined() {
        fixture.given(CREATED, VERIFIED, ORGANISATION_PROGRAMME)
                .when(new AcceptMatchingProgrammeCommand("biz_1", "mp_unknown", "org_1", "usr_org_admin"))
                .expectException(RuleViolation.class).expectNoEvents();
        fixture.given(CREATED, VERIFIED, ORGANISATION_PROGRAMME)
                .when(new DeclineMatchingProgrammeCommand("biz_1", "mp_unknown", "org_1", "usr_org_admin"))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void anotherOrganisationCannotDeclineAProgrammeProposedToOne() {
        fixture.given(CREATED, VERIFIED, ORGANISATION_PROGRAMME)
                .when(new DeclineMatchingProgrammeCommand("biz_1", "mp_2", "org_2", "usr_other"))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void anotherOrganisationCannotAcceptAProgrammeProposedToOne() {
        fixture.given(CREATED, VERIFIED, ORGANISATION_PROGRAMME)
                .when(new AcceptMatchingProgrammeCommand("biz_1", "mp_2", "org_2", "usr_other"))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void theOrganisationDeclinesAProposedProgramme() {
        fixture.given(CREATED, VERIFIED, ORGANISATION_PROGRAMME)
                .when(new DeclineMatchingProgrammeCommand("biz_1", "mp_2", "org_1", "usr_org_admin"))
                .expectEvents(new MatchingProgrammeDeclinedEvent("biz_1", "mp_2", "org_1", "usr_org_admin"));
    }

    @Test
    void aDeclinedProgrammeCannotBeAcceptedAfterwards() {
        fixture.given(CREATED, VERIFIED, ORGANISATION_PROGRAMME,
                        new MatchingProgrammeDeclinedEvent("biz_1", "mp_2", "org_1", "usr_org_admin"))
                .when(new AcceptMatchingProgrammeCommand("biz_1", "mp_2", "org_1", "usr_org_admin"))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aProgrammeDeclinedAfterItWasAcceptedMatchesNothingMore() {
        // given: accepted, then declined by the organisation
        fixture.given(CREATED, VERIFIED, ORGANISATION_PROGRAMME, ORGANISATION_ACCEPTED,
                        new MatchingProgrammeDeclinedEvent("biz_1", "mp_2", "org_1", "usr_org_admin"))
                // when: an offer read before the decline committed
                .when(offer("mp_2", "don_1", "org_1", null, 2_000, "GBP", DURING))
                // then: no match, and the donation goes through
                .expectSuccessfulHandlerExecution().expectNoEvents();
    }

    @Test
    void aProgrammeIsNotDeclinedTwice() {
        fixture.given(CREATED, VERIFIED, ORGANISATION_PROGRAMME,
                        new MatchingProgrammeDeclinedEvent("biz_1", "mp_2", "org_1", "usr_org_admin"))
                .when(new DeclineMatchingProgrammeCommand("biz_1", "mp_2", "org_1", "usr_org_admin"))
                .expectException(RuleViolation.class).expectNoEvents();
    }
}
