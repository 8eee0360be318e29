package io.amply.command.organisation;

import io.amply.command.RuleViolation;
import io.amply.events.Visibility;
import io.amply.events.organisation.CreateOrganisationCommand;
import io.amply.events.organisation.GrantMembershipCommand;
import io.amply.events.organisation.MembershipGrantedEvent;
import io.amply.events.organisation.MembershipRevokedEvent;
import io.amply.events.organisation.OrganisationCreatedEvent;
import io.amply.events.organisation.OrganisationProfileUpdatedEvent;
import io.amply.events.organisation.OrganisationReinstatedEvent;
import io.amply.events.organisation.OrganisationSuspendedEvent;
import io.amply.events.organisation.OrganisationVerifiedEvent;
import io.amply.events.organisation.ReinstateOrganisationCommand;
import io.amply.events.organisation.RevokeMembershipCommand;
import io.amply.events.organisation.SuspendOrganisationCommand;
import io.amply.events.organisation.UpdateOrganisationProfileCommand;
import io.amply.events.organisation.VerifyOrganisationCommand;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.Matchers.containsString;

class OrganisationTest {

    private static final OrganisationCreatedEvent CREATED = new OrganisationCreatedEvent("org_1", "Wells for All", "GB",
            Visibility.public_full, false, "fund_1", "GBP", "usr_1");
    private static final MembershipGrantedEvent OWNER = new MembershipGrantedEvent("org_1", "usr_1", "owner", "usr_1");

    private AggregateTestFixture<Organisation> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Organisation.class);
    }

    @Test
    void creatingAnOrganisationMakesTheCreatorItsOwner() {
        fixture.givenNoPriorActivity()
                .when(new CreateOrganisationCommand("org_1", "Wells for All", "GB", Visibility.public_full, false,
                        "fund_1", "GBP", "usr_1"))
                .expectEvents(CREATED, OWNER);
    }

    @Test
    void aGeneralFundInAnUnsupportedCurrencyIsRefused() {
        fixture.givenNoPriorActivity()
                .when(new CreateOrganisationCommand("org_1", "Wells for All", "GB", Visibility.public_full, false,
                        "fund_1", "JPY", "usr_1"))
                .expectException(RuleViolation.class)
                .expectNoEvents();
    }

    @Test
    void theProfileCanBeUpdated() {
        fixture.given(CREATED, OWNER)
                .when(new UpdateOrganisationProfileCommand("org_1", "Wells", "IE", Visibility.public_aggregated, true, "usr_1"))
                .expectEvents(new OrganisationProfileUpdatedEvent("org_1", "Wells", "IE", Visibility.public_aggregated, true, "usr_1"));
    }

    @Test
    void aProfileUpdateChangesOnlyWhatItNames() {
        // given: another update already changed the default visibility
        fixture.given(CREATED, OWNER,
                        new OrganisationProfileUpdatedEvent("org_1", "Wells for All", "GB", Visibility.internal_only, false, "usr_2"))
                // when: an update that names only the name
                .when(new UpdateOrganisationProfileCommand("org_1", "Wells", null, null, null, "usr_1"))
                // then: the other update's visibility stands
                .expectEvents(new OrganisationProfileUpdatedEvent("org_1", "Wells", "GB", Visibility.internal_only, false, "usr_1"));
    }

    @Test
    void verifyingAgainAtTheSameLevelIsRefused() {
        fixture.given(CREATED, OWNER, new OrganisationVerifiedEvent("org_1", "standard", "usr_staff"))
                .when(new VerifyOrganisationCommand("org_1", "standard", "usr_staff"))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aVerifiedOrganisationIsVerifiedAtAnotherLevel() {
        fixture.given(CREATED, OWNER, new OrganisationVerifiedEvent("org_1", "standard", "usr_staff"))
                .when(new VerifyOrganisationCommand("org_1", "enhanced", "usr_staff"))
                .expectEvents(new OrganisationVerifiedEvent("org_1", "enhanced", "usr_staff"));
    }

    @Test
    void anAdminCannotMakeAnOwner() {
        fixture.given(CREATED, OWNER, new MembershipGrantedEvent("org_1", "usr_2", "admin", "usr_1"))
                .when(new GrantMembershipCommand("org_1", "usr_3", "owner", "usr_2", false))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void anAdminCannotDemoteAnOwnerEvenOneMadeAMomentAgo() {
        // given: usr_3 was made an owner after the admin's request was checked against the memberships table
        fixture.given(CREATED, OWNER, new MembershipGrantedEvent("org_1", "usr_2", "admin", "usr_1"),
                        new MembershipGrantedEvent("org_1", "usr_3", "owner", "usr_1"))
                .when(new GrantMembershipCommand("org_1", "usr_3", "viewer", "usr_2", false))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void anAdminCannotRemoveAnOwner() {
        fixture.given(CREATED, OWNER, new MembershipGrantedEvent("org_1", "usr_2", "admin", "usr_1"),
                        new MembershipGrantedEvent("org_1", "usr_3", "owner", "usr_1"))
                .when(new RevokeMembershipCommand("org_1", "usr_3", "usr_2", false))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void anAdminGrantsAndRevokesMembershipsOfOtherRoles() {
        fixture.given(CREATED, OWNER, new MembershipGrantedEvent("org_1", "usr_2", "admin", "usr_1"))
                .when(new GrantMembershipCommand("org_1", "usr_3", "finance", "usr_2", false))
                .expectEvents(new MembershipGrantedEvent("org_1", "usr_3", "finance", "usr_2"));
    }

    @Test
    void anAdminDemotedAfterTheirRequestWasCheckedNoLongerGrantsMemberships() {
        // given: usr_2 was an admin when the controller checked, and was made a viewer before the command ran
        fixture.given(CREATED, OWNER, new MembershipGrantedEvent("org_1", "usr_2", "admin", "usr_1"),
                        new MembershipGrantedEvent("org_1", "usr_2", "viewer", "usr_1"))
                .when(new GrantMembershipCommand("org_1", "usr_3", "admin", "usr_2", false))
                .expectException(RuleViolation.class).expectExceptionMessage(containsString("changes its memberships"))
                .expectNoEvents();
    }

    @Test
    void anAdminRemovedAfterTheirRequestWasCheckedNoLongerRemovesMembers() {
        fixture.given(CREATED, OWNER, new MembershipGrantedEvent("org_1", "usr_2", "admin", "usr_1"),
                        new MembershipGrantedEvent("org_1", "usr_4", "finance", "usr_1"),
                        new MembershipRevokedEvent("org_1", "usr_2", "usr_1"))
                .when(new RevokeMembershipCommand("org_1", "usr_4", "usr_2", false))
                .expectException(RuleViolation.class).expectExceptionMessage(containsString("changes its memberships"))
                .expectNoEvents();
    }

    @Test
    void platformStaffActAsAnOwner() {
        fixture.given(CREATED, OWNER)
                .when(new GrantMembershipCommand("org_1", "usr_3", "owner", "usr_staff", true))
                .expectEvents(new MembershipGrantedEvent("org_1", "usr_3", "owner", "usr_staff"));
    }

    @Test
    void anOrganisationIsVerifiedAtALevel() {
        fixture.given(CREATED, OWNER)
                .when(new VerifyOrganisationCommand("org_1", "standard", "usr_staff"))
                .expectEvents(new OrganisationVerifiedEvent("org_1", "standard", "usr_staff"));
    }

    @Test
    void anUnknownVerificationLevelIsRefused() {
        fixture.given(CREATED, OWNER).when(new VerifyOrganisationCommand("org_1", "gold", "usr_staff"))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void anOrganisationIsSuspendedWithNoReasonInItsEvent() {
        // (the reason is kept beside the organisation while it is suspended; Kafka keeps events for good)
        fixture.given(CREATED, OWNER)
                .when(new SuspendOrganisationCommand("org_1", "usr_staff"))
                .expectEvents(new OrganisationSuspendedEvent("org_1", null, "usr_staff"));
    }

    @Test
    void aSuspendedOrganisationCannotBeSuspendedAgain() {
        fixture.given(CREATED, OWNER, new OrganisationSuspendedEvent("org_1", "fraud review", "usr_staff"))
                .when(new SuspendOrganisationCommand("org_1", "usr_staff"))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void reinstatingRestoresTheStatusBeforeSuspension() {
        fixture.given(CREATED, OWNER, new OrganisationVerifiedEvent("org_1", "basic", "usr_staff"),
                        new OrganisationSuspendedEvent("org_1", "fraud review", "usr_staff"))
                .when(new ReinstateOrganisationCommand("org_1", "usr_staff"))
                .expectEvents(new OrganisationReinstatedEvent("org_1", "verified", "usr_staff"));
    }

    @Test
    void onlyASuspendedOrganisationCanBeReinstated() {
        fixture.given(CREATED, OWNER).when(new ReinstateOrganisationCommand("org_1", "usr_staff"))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aRoleIsGranted() {
        fixture.given(CREATED, OWNER).when(new GrantMembershipCommand("org_1", "usr_2", "auditor", "usr_1", false))
                .expectEvents(new MembershipGrantedEvent("org_1", "usr_2", "auditor", "usr_1"));
    }

    @Test
    void anUnknownRoleIsRefused() {
        fixture.given(CREATED, OWNER).when(new GrantMembershipCommand("org_1", "usr_2", "boss", "usr_1", false))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aSuspendedOrganisationCannotBeVerified() {
        fixture.given(CREATED, OWNER, new OrganisationSuspendedEvent("org_1", "fraud review", "usr_staff"))
                .when(new VerifyOrganisationCommand("org_1", "standard", "usr_staff"))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void theLastOwnerCannotBeDemotedToAnotherRole() {
        fixture.given(CREATED, OWNER).when(new GrantMembershipCommand("org_1", "usr_1", "viewer", "usr_1", false))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void someoneWithoutARoleCannotBeRemoved() {
        fixture.given(CREATED, OWNER).when(new RevokeMembershipCommand("org_1", "usr_9", "usr_1", false))
                .expectException(RuleViolation.class).expectExceptionMessage("user usr_9 has no role in org_1").expectNoEvents();
    }

    @Test
    void theLastOwnerCannotBeRemoved() {
        fixture.given(CREATED, OWNER).when(new RevokeMembershipCommand("org_1", "usr_1", "usr_1", false))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void anOwnerCanLeaveWhenAnotherOwnerRemains() {
        fixture.given(CREATED, OWNER, new MembershipGrantedEvent("org_1", "usr_2", "owner", "usr_1"))
                .when(new RevokeMembershipCommand("org_1", "usr_1", "usr_2", false))
                .expectEvents(new MembershipRevokedEvent("org_1", "usr_1", "usr_2"));
    }

    @Test
    void aCheckpointCanBeRequestedAtAnyTime() {
        fixture.given(CREATED, OWNER)
                .when(new io.amply.events.organisation.RequestLedgerCheckpointCommand("org_1", "usr_1"))
                .expectEvents(new io.amply.events.organisation.LedgerCheckpointRequestedEvent("org_1", "usr_1"));
    }
}
