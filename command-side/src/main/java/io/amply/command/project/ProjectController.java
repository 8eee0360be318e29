package io.amply.command.project;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.amply.command.OneTransaction;
import io.amply.command.lookup.Lookups;
import io.amply.command.lookup.ProjectLookupsReader;
import io.amply.command.lookup.StatusReasons;
import io.amply.command.security.Caller;
import io.amply.command.security.OrganisationAccess;
import io.amply.command.security.Role;
import io.amply.command.web.ApiException;
import io.amply.command.web.Ids;
import io.amply.command.web.RequestIds;
import io.amply.command.web.Text;
import io.amply.events.Amounts;
import io.amply.events.api.ApiData;
import io.amply.events.api.ApiEnvelope;
import io.amply.events.project.ActivateProjectCommand;
import io.amply.events.project.CancelProjectCommand;
import io.amply.events.project.CompleteProjectCommand;
import io.amply.events.project.CreateProjectCommand;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.Map;

@RestController
class ProjectController {


    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record CreateProjectRequest(
            @NotBlank @Size(max = 20) @Pattern(regexp = Ids.FUND, message = Ids.FUND_MESSAGE) String fundId,
            @NotBlank @Size(max = 200) String name,
            @NotNull @PositiveOrZero @Max(Amounts.MAX) Long budgetAmount,
            @NotNull @Pattern(regexp = "EUR|GBP|USD|CHF", message = "must be one of EUR, GBP, USD, CHF") String currency) {
    }

    record CancelRequest(@Size(max = 500) String reason) {
    }

    private final CommandGateway commands;
    private final OrganisationAccess access;
    private final Lookups lookups;
    private final OneTransaction oneTransaction;
    private final ProjectLookupsReader projects;
    private final StatusReasons reasons;

    ProjectController(CommandGateway commands, OrganisationAccess access, Lookups lookups, ProjectLookupsReader projects,
                      OneTransaction oneTransaction, StatusReasons reasons) {
        this.reasons = reasons;
        this.commands = commands;
        this.access = access;
        this.lookups = lookups;
        this.oneTransaction = oneTransaction;
        this.projects = projects;
    }

    /** A project in planning that spends from one of the organisation's funds, with a budget in that fund's currency. */
    @ResponseStatus(HttpStatus.CREATED)
    @PostMapping("/v1/organisations/{organisationId}/projects")
    @ApiData(ProjectAnswers.Project.class)
    ResponseEntity<ApiEnvelope<Map<String, Object>>> create(@PathVariable String organisationId,
                                                            @Valid @RequestBody CreateProjectRequest request,
                                                            Caller caller, HttpServletRequest http) {
        access.require(caller, organisationId, Role.MANAGE);
        String projectId = Ids.next("proj_");
        // the fund is read under a lock with the command, in one transaction: a fund closed at the
        // same moment either refuses this or sees it as work not finished; and a suspension waits for it
        oneTransaction.run(() -> {
            lookups.notSuspendedHeld(organisationId, "start projects");
            Lookups.FundView fund = lookups.openFundHeld(organisationId, request.fundId(), request.currency(),
                    "a project's budget is in its fund's currency");
            return commands.sendAndWait(new CreateProjectCommand(projectId, organisationId, fund.id(),
                    Text.clean("name", request.name()), request.budgetAmount(), request.currency(), caller.userId()));
        });
        return ResponseEntity.status(HttpStatus.CREATED).body(ApiEnvelope.of(view(organisationId, projectId),
                RequestIds.current(http)));
    }

    @GetMapping("/v1/projects/{projectId}")
    @ApiData(ProjectAnswers.Project.class)
    ApiEnvelope<Map<String, Object>> get(@PathVariable String projectId, Caller caller, HttpServletRequest http) {
        String organisationId = lookups.ownerOf(projectId, "project_id");
        access.require(caller, organisationId, Role.ANY);
        return ApiEnvelope.of(view(organisationId, projectId), RequestIds.current(http));
    }

    /** planning → active. */
    @PostMapping("/v1/projects/{projectId}/activate")
    @ApiData(ProjectAnswers.Project.class)
    ApiEnvelope<Map<String, Object>> activate(@PathVariable String projectId, Caller caller, HttpServletRequest http) {
        String organisationId = manage(projectId, caller);
        oneTransaction.run(() -> { // as a campaign's activation; finishing one stays allowed
            lookups.notSuspendedHeld(organisationId, "start projects");
            return commands.sendAndWait(new ActivateProjectCommand(projectId, caller.userId()));
        });
        return ApiEnvelope.of(view(organisationId, projectId), RequestIds.current(http));
    }

    /** active → completed. */
    @PostMapping("/v1/projects/{projectId}/complete")
    @ApiData(ProjectAnswers.Project.class)
    ApiEnvelope<Map<String, Object>> complete(@PathVariable String projectId, Caller caller, HttpServletRequest http) {
        String organisationId = manage(projectId, caller);
        commands.sendAndWait(new CompleteProjectCommand(projectId, caller.userId()));
        return ApiEnvelope.of(view(organisationId, projectId), RequestIds.current(http));
    }

    /**
     * planning or active → cancelled, with an optional {@code reason}: kept beside the project (status_reasons), not
     * in its event, which Kafka and the event store keep for good.
     */
    @PostMapping("/v1/projects/{projectId}/cancel")
    @ApiData(ProjectAnswers.Project.class)
    ApiEnvelope<Map<String, Object>> cancel(@PathVariable String projectId,
                                            @Valid @RequestBody(required = false) CancelRequest request,
                                            Caller caller, HttpServletRequest http) {
        String organisationId = manage(projectId, caller);
        String reason = request == null || request.reason() == null ? null : Text.clean("reason", request.reason());
        oneTransaction.run(() -> {
            reasons.record(organisationId, projectId, "cancelled", reason, caller.userId());
            return commands.sendAndWait(new CancelProjectCommand(projectId, caller.userId()));
        });
        return ApiEnvelope.of(view(organisationId, projectId), RequestIds.current(http));
    }

    private String manage(String projectId, Caller caller) {
        String organisationId = lookups.ownerOf(projectId, "project_id");
        access.require(caller, organisationId, Role.MANAGE);
        projects.project(organisationId, projectId)
                .orElseThrow(() -> ApiException.notFound("project_id", "no project " + projectId));
        return organisationId;
    }

    private Map<String, Object> view(String organisationId, String projectId) {
        ProjectLookupsReader.ProjectView project = projects.project(organisationId, projectId)
                .orElseThrow(() -> ApiException.notFound("project_id", "no project " + projectId));
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", project.id());
        view.put("organisation_id", project.organisationId());
        view.put("fund_id", project.fundId());
        view.put("name", project.name());
        view.put("budget_amount", project.budgetAmount());
        view.put("currency", project.currency());
        view.put("status", project.status());
        view.put("created_at", project.createdAt().toString());
        view.put("cancellation_reason",
                "cancelled".equals(project.status()) ? reasons.of(organisationId, projectId, "cancelled") : null);
        return view;
    }
}
