package io.amply.command.project;

import io.amply.command.RuleViolation;
import io.amply.events.Amounts;
import io.amply.events.project.ActivateProjectCommand;
import io.amply.events.project.CancelProjectCommand;
import io.amply.events.project.CompleteProjectCommand;
import io.amply.events.project.CreateProjectCommand;
import io.amply.events.project.ProjectActivatedEvent;
import io.amply.events.project.ProjectCancelledEvent;
import io.amply.events.project.ProjectCompletedEvent;
import io.amply.events.project.ProjectCreatedEvent;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.Set;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A project that spends from one fund, with a budget in the fund's currency:
 * planning → active → completed | cancelled (cancelled from planning or active).
 */
@Aggregate(cache = "aggregateCache")
class Project {

    static final Set<String> CURRENCIES = Set.of("EUR", "GBP", "USD", "CHF");

    enum Status { planning, active, completed, cancelled }

    @AggregateIdentifier
    private String projectId;
    private String organisationId;
    private Status status;

    Project() {
        // for Axon
    }

    @CommandHandler
    Project(CreateProjectCommand command) {
        if (command.budgetAmount() < 0 || command.budgetAmount() > Amounts.MAX) {
            throw RuleViolation.invalid("budget_amount", "budget_amount is a number of minor units from 0 to 2^53 - 1");
        }
        if (!CURRENCIES.contains(command.currency())) {
            throw RuleViolation.invalid("currency", "currency is one of " + CURRENCIES);
        }
        apply(new ProjectCreatedEvent(command.projectId(), command.organisationId(), command.fundId(), command.name(),
                command.budgetAmount(), command.currency(), command.createdBy()));
    }

    @CommandHandler
    void handle(ActivateProjectCommand command) {
        requireStatus(Status.planning, "activated");
        apply(new ProjectActivatedEvent(projectId, organisationId, command.activatedBy()));
    }

    @CommandHandler
    void handle(CompleteProjectCommand command) {
        requireStatus(Status.active, "completed");
        apply(new ProjectCompletedEvent(projectId, organisationId, command.completedBy()));
    }

    @CommandHandler
    void handle(CancelProjectCommand command) {
        if (status == Status.completed || status == Status.cancelled) {
            throw RuleViolation.conflict("project " + projectId + " is " + status + " and cannot be cancelled");
        }
        apply(new ProjectCancelledEvent(projectId, organisationId, null, command.cancelledBy())); // the reason is kept beside it
    }

    private void requireStatus(Status required, String transition) {
        if (status != required) {
            throw RuleViolation.conflict("project " + projectId + " is " + status + "; only a project in " + required
                    + " can be " + transition);
        }
    }

    @EventSourcingHandler
    void on(ProjectCreatedEvent event) {
        projectId = event.projectId();
        organisationId = event.organisationId();
        status = Status.planning;
    }

    @EventSourcingHandler
    void on(ProjectActivatedEvent event) {
        status = Status.active;
    }

    @EventSourcingHandler
    void on(ProjectCompletedEvent event) {
        status = Status.completed;
    }

    @EventSourcingHandler
    void on(ProjectCancelledEvent event) {
        status = Status.cancelled;
    }
}
