package io.amply.command.project;

import io.amply.command.RuleViolation;
import io.amply.events.project.ActivateProjectCommand;
import io.amply.events.project.CancelProjectCommand;
import io.amply.events.project.CompleteProjectCommand;
import io.amply.events.project.CreateProjectCommand;
import io.amply.events.project.ProjectActivatedEvent;
import io.amply.events.project.ProjectCancelledEvent;
import io.amply.events.project.ProjectCompletedEvent;
import io.amply.events.project.ProjectCreatedEvent;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProjectTest {

    private static final ProjectCreatedEvent CREATED = new ProjectCreatedEvent("proj_1", "org_1", "fund_1", "Wells in Kitui",
            500_000, "GBP", "usr_1");
    private static final ProjectActivatedEvent ACTIVATED = new ProjectActivatedEvent("proj_1", "org_1", "usr_1");

    private AggregateTestFixture<Project> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Project.class);
    }

    private static CreateProjectCommand create(long budget, String currency) {
        return new CreateProjectCommand("proj_1", "org_1", "fund_1", "Wells in Kitui", budget, currency, "usr_1");
    }

    @Test
    void aProjectStartsInPlanningWithItsFundAndBudget() {
        fixture.givenNoPriorActivity()
                .when(create(500_000, "GBP"))
                .expectEvents(CREATED);
    }

    @Test
    void aProjectMayStartWithoutABudget() {
        fixture.givenNoPriorActivity()
                .when(create(0, "GBP"))
                .expectEvents(new ProjectCreatedEvent("proj_1", "org_1", "fund_1", "Wells in Kitui", 0, "GBP", "usr_1"));
    }

    @Test
    void aNegativeBudgetIsRefused() {
        fixture.givenNoPriorActivity().when(create(-1, "GBP")).expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aBudgetBeyondWhatJsonCarriesExactlyIsRefused() {
        fixture.givenNoPriorActivity().when(create(9_007_199_254_740_992L, "GBP"))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void anUnsupportedCurrencyIsRefused() {
        fixture.givenNoPriorActivity().when(create(100, "JPY")).expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aProjectInPlanningIsActivated() {
        fixture.given(CREATED)
                .when(new ActivateProjectCommand("proj_1", "usr_1"))
                .expectEvents(ACTIVATED);
    }

    @Test
    void anActiveProjectCannotBeActivatedAgain() {
        fixture.given(CREATED, ACTIVATED)
                .when(new ActivateProjectCommand("proj_1", "usr_1"))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void anActiveProjectIsCompleted() {
        fixture.given(CREATED, ACTIVATED)
                .when(new CompleteProjectCommand("proj_1", "usr_2"))
                .expectEvents(new ProjectCompletedEvent("proj_1", "org_1", "usr_2"));
    }

    @Test
    void aProjectInPlanningCannotBeCompleted() {
        fixture.given(CREATED)
                .when(new CompleteProjectCommand("proj_1", "usr_1"))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aProjectInPlanningIsCancelledWithNoReasonInItsEvent() {
        // (the reason given is kept beside the project, where it can be removed; Kafka keeps events for good)
        fixture.given(CREATED)
                .when(new CancelProjectCommand("proj_1", "usr_1"))
                .expectEvents(new ProjectCancelledEvent("proj_1", "org_1", null, "usr_1"));
    }

    @Test
    void anActiveProjectIsCancelled() {
        fixture.given(CREATED, ACTIVATED)
                .when(new CancelProjectCommand("proj_1", "usr_1"))
                .expectEvents(new ProjectCancelledEvent("proj_1", "org_1", null, "usr_1"));
    }

    @Test
    void aCompletedProjectCannotBeCancelled() {
        fixture.given(CREATED, ACTIVATED, new ProjectCompletedEvent("proj_1", "org_1", "usr_1"))
                .when(new CancelProjectCommand("proj_1", "usr_1"))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aCancelledProjectCannotBeCancelledAgain() {
        fixture.given(CREATED, new ProjectCancelledEvent("proj_1", "org_1", null, "usr_1"))
                .when(new CancelProjectCommand("proj_1", "usr_1"))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aCancelledProjectCannotBeActivated() {
        fixture.given(CREATED, new ProjectCancelledEvent("proj_1", "org_1", null, "usr_1"))
                .when(new ActivateProjectCommand("proj_1", "usr_1"))
                .expectException(RuleViolation.class).expectNoEvents();
    }
}
