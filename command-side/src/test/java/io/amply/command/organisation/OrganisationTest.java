package io.amply.command.organisation;

import io.amply.command.RuleViolation;
import io.amply.events.Visibility;
import io.amply.events.organisation.CreateOrganisationCommand;
import io.amply.events.organisation.FundCreatedEvent;
import io.amply.events.organisation.OrganisationCreatedEvent;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OrganisationTest {

    private AggregateTestFixture<Organisation> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Organisation.class);
    }

    @Test
    void creatingAnOrganisationOpensItsGeneralFund() {
        fixture.givenNoPriorActivity()
                .when(new CreateOrganisationCommand("org_1", "Wells for All", "GB", Visibility.public_full,
                        "fund_1", "GBP", "usr_1"))
                .expectEvents(
                        new OrganisationCreatedEvent("org_1", "Wells for All", "GB", Visibility.public_full, "usr_1"),
                        new FundCreatedEvent("fund_1", "org_1", "General Fund", "general", "GBP"));
    }

    @Test
    void aGeneralFundInAnUnsupportedCurrencyIsRefused() {
        fixture.givenNoPriorActivity()
                .when(new CreateOrganisationCommand("org_1", "Wells for All", "GB", Visibility.public_full,
                        "fund_1", "JPY", "usr_1"))
                .expectException(RuleViolation.class)
                .expectNoEvents();
    }
}
