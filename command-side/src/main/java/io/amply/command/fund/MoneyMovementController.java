package io.amply.command.fund;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.amply.command.OneTransaction;
import io.amply.command.lookup.Lookups;
import io.amply.command.lookup.ProjectLookupsReader;
import io.amply.command.note.LedgerNotes;
import io.amply.command.security.Caller;
import io.amply.command.security.OrganisationAccess;
import io.amply.command.security.Role;
import io.amply.command.web.ApiException;
import io.amply.command.web.Ids;
import io.amply.command.web.PublicAfter;
import io.amply.command.web.RequestIds;
import io.amply.command.web.Text;
import io.amply.events.Amounts;
import io.amply.events.Visibility;
import io.amply.events.api.ApiData;
import io.amply.events.api.ApiEnvelope;
import io.amply.events.fund.RecordCorrectionCommand;
import io.amply.events.fund.RecordExpenseCommand;
import io.amply.events.fund.TransferFundsCommand;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Money going out of a fund: expenses, transfers, and corrections of earlier entries. */
@RestController
class MoneyMovementController {

    private static final String CURRENCY = "EUR|GBP|USD|CHF";
    private static final String CURRENCY_MESSAGE = "must be one of EUR, GBP, USD, CHF";

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ExpenseRequest(
            @NotBlank @Size(max = 20) @Pattern(regexp = Ids.ORGANISATION, message = Ids.ORGANISATION_MESSAGE) String organisationId,
            @NotBlank @Size(max = 20) @Pattern(regexp = Ids.FUND, message = Ids.FUND_MESSAGE) String fundId,
            @Size(max = 20) @Pattern(regexp = Ids.PROJECT, message = Ids.PROJECT_MESSAGE) String projectId,
            @NotNull @Positive @Max(Amounts.MAX) Long amount,
            @NotNull @Pattern(regexp = CURRENCY, message = CURRENCY_MESSAGE) String currency,
            @NotNull @Pattern(regexp = "programs|operations|fundraising|admin|grants|other",
                    message = "must be one of programs, operations, fundraising, admin, grants, other") String category,
            @NotNull @Pattern(regexp = "supplier|beneficiary|staff|partner|other",
                    message = "must be one of supplier, beneficiary, staff, partner, other") String recipientType,
            @Size(max = 100) String recipientReference,
            Visibility visibility,
            String publicAfter) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record TransferRequest(
            @NotBlank @Size(max = 20) @Pattern(regexp = Ids.ORGANISATION, message = Ids.ORGANISATION_MESSAGE) String organisationId,
            @NotBlank @Size(max = 20) @Pattern(regexp = Ids.FUND, message = Ids.FUND_MESSAGE) String fromFundId,
            @Size(max = 20) @Pattern(regexp = Ids.ORGANISATION, message = Ids.ORGANISATION_MESSAGE) String toOrganisationId,
            @NotBlank @Size(max = 20) @Pattern(regexp = Ids.FUND, message = Ids.FUND_MESSAGE) String toFundId,
            @NotNull @Positive @Max(Amounts.MAX) Long amount,
            @NotNull @Pattern(regexp = CURRENCY, message = CURRENCY_MESSAGE) String currency,
            @Size(max = 200) String memo,
            Visibility visibility,
            String publicAfter) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record CorrectionRequest(
            @NotBlank @Size(max = 20) @Pattern(regexp = Ids.ORGANISATION, message = Ids.ORGANISATION_MESSAGE) String organisationId,
            @NotBlank @Size(max = 20) @Pattern(regexp = Ids.FUND, message = Ids.FUND_MESSAGE) String fundId,
            @NotNull @Pattern(regexp = "reversal|adjustment", message = "must be reversal or adjustment") String kind,
            @NotBlank @Size(max = 20) @Pattern(regexp = "led_[A-Za-z0-9]+", message = "must be a ledger entry id (led_…)") String correctsEntryId,
            @NotNull @Min(-Amounts.MAX) @Max(Amounts.MAX) Long amount,
            @NotNull @Pattern(regexp = CURRENCY, message = CURRENCY_MESSAGE) String currency,
            @NotBlank @Size(max = 500) String reason,
            Visibility visibility,
            String publicAfter) {
    }

    private final CommandGateway commands;
    private final OrganisationAccess access;
    private final Lookups lookups;
    private final ProjectLookupsReader projects;
    private final OneTransaction oneTransaction;
    private final LedgerNotes notes;

    MoneyMovementController(CommandGateway commands, OrganisationAccess access, Lookups lookups,
                            ProjectLookupsReader projects, OneTransaction oneTransaction, LedgerNotes notes) {
        this.notes = notes;
        this.commands = commands;
        this.access = access;
        this.lookups = lookups;
        this.projects = projects;
        this.oneTransaction = oneTransaction;
    }

    @ResponseStatus(HttpStatus.CREATED)
    @PostMapping("/v1/expenses")
    @ApiData(FundAnswers.ExpenseRecorded.class)
    ResponseEntity<ApiEnvelope<Map<String, Object>>> expense(@Valid @RequestBody ExpenseRequest request, Caller caller,
                                                             HttpServletRequest http) {
        Visibility visibility = moneyOut(caller, request.organisationId(), request.fundId(), "fund_id", request.visibility());
        Instant publicAfter = PublicAfter.resolve(request.publicAfter(), visibility, Instant.now());
        String reference = Text.clean("recipient_reference", request.recipientReference());
        String expenseId = Ids.next("exp_");
        // the project's status is read, held, and the expense stored in one transaction: a project
        // completed or cancelled at the same moment either waits for the expense or refuses it
        oneTransaction.run(() -> {
            access.requireHeldForMoney(caller, request.organisationId(), "move money");
            if (request.projectId() != null) {
                requireProjectOpenFor(request.organisationId(), request.fundId(), request.projectId());
            }
            return commands.sendAndWait(new RecordExpenseCommand(request.fundId(), expenseId, request.projectId(),
                    request.amount(), request.currency(), request.category(), request.recipientType(), visibility,
                    caller.userId(), publicAfter, notes.write(reference, request.organisationId())));
        });
        return created(http, "id", expenseId, "fund", FundController.view(lookups.fund(request.organisationId(), request.fundId(), "fund_id")));
    }

    /** Between two funds of one organisation, or to another organisation's fund (transfer_out / transfer_in). */
    @ResponseStatus(HttpStatus.CREATED)
    @PostMapping("/v1/transfers")
    @ApiData(FundAnswers.TransferRecorded.class)
    ResponseEntity<ApiEnvelope<Map<String, Object>>> transfer(@Valid @RequestBody TransferRequest request, Caller caller,
                                                              HttpServletRequest http) {
        Visibility visibility = moneyOut(caller, request.organisationId(), request.fromFundId(), "from_fund_id", request.visibility());
        Instant publicAfter = PublicAfter.resolve(request.publicAfter(), visibility, Instant.now());
        String target = request.toOrganisationId() == null ? request.organisationId() : request.toOrganisationId();
        if (!target.equals(request.organisationId()) && request.memo() != null) {
            requireMayWriteTo(caller, target);
        }
        lookups.notSuspended(target, "receive money", "to_organisation_id");
        Lookups.FundView to = lookups.fund(target, request.toFundId(), "to_fund_id");
        if (!to.currency().equals(request.currency())) {
            throw ApiException.invalid("to_fund_id", "fund " + to.id() + " holds " + to.currency() + ", not " + request.currency());
        }
        if (!"open".equals(to.status()) && to.balance() >= 0) {
            throw ApiException.conflict("fund " + to.id() + " is closed"); // (one below zero is checked by the fund itself)
        }
        String transferId = Ids.next("trf_");
        String memo = Text.clean("memo", request.memo());
        // each organisation once, in one order whichever way the money goes (the sender's words when it is one)
        Map<String, String> organisations = new TreeMap<>(Map.of(target, "receive money"));
        organisations.put(request.organisationId(), "move money");
        oneTransaction.run(() -> {
            organisations.forEach(lookups::notSuspendedHeld);
            // the roles again, read through the gates just passed: a role removed meanwhile waits or is seen
            access.requireHeld(caller, request.organisationId(), Role.MONEY);
            if (!target.equals(request.organisationId()) && memo != null) {
                requireMayWriteTo(caller, target);
            }
            return commands.sendAndWait(new TransferFundsCommand(request.fromFundId(), transferId, target, request.toFundId(),
                    request.amount(), request.currency(), visibility, caller.userId(), publicAfter,
                    notes.write(memo, request.organisationId(), target)));
        });
        return created(http, "id", transferId, "from_fund",
                FundController.view(lookups.fund(request.organisationId(), request.fromFundId(), "from_fund_id")));
    }

    /**
     * A reversal or adjustment that references the entry it corrects; nothing is ever edited. It is
     * shown as the entry it corrects (the same visibility and public_after), so that correcting an
     * entry never reveals it earlier or more widely than the entry itself.
     */
    @ResponseStatus(HttpStatus.CREATED)
    @PostMapping("/v1/corrections")
    @ApiData(FundAnswers.CorrectionRecorded.class)
    ResponseEntity<ApiEnvelope<Map<String, Object>>> correction(@Valid @RequestBody CorrectionRequest request, Caller caller,
                                                                HttpServletRequest http) {
        moneyOut(caller, request.organisationId(), request.fundId(), "fund_id", request.visibility());
        // on the entry's own fund; the fund itself refuses another currency than its own, which is the entry's
        Lookups.LedgerEntryView entry = lookups.ledgerEntry(request.organisationId(), request.correctsEntryId(), "corrects_entry_id");
        if (!entry.fundId().equals(request.fundId())) {
            throw ApiException.invalid("fund_id", "entry " + entry.id() + " moved money of fund " + entry.fundId()
                    + "; its correction belongs on that fund, not on " + request.fundId());
        }
        Visibility visibility = Visibility.valueOf(entry.visibility());
        if (request.visibility() != null && request.visibility() != visibility) {
            throw ApiException.invalid("visibility", "a correction is shown as the entry it corrects: " + visibility
                    + ", not " + request.visibility());
        }
        if (request.publicAfter() != null && !PublicAfter.parse(request.publicAfter()).equals(entry.publicAfter())) {
            throw ApiException.invalid("public_after", "a correction is revealed with the entry it corrects: "
                    + (entry.publicAfter() == null ? "it names no public_after" : "at " + entry.publicAfter()));
        }
        String correctionId = Ids.next("cor_");
        String reason = Text.clean("reason", request.reason());
        oneTransaction.run(() -> {
            access.requireHeldForMoney(caller, request.organisationId(), "move money");
            return commands.sendAndWait(new RecordCorrectionCommand(request.fundId(), correctionId, request.kind(), entry.id(),
                    entry.type(), entry.amount(), entry.projectId(), request.amount(), request.currency(),
                    visibility, caller.userId(), entry.publicAfter(), notes.write(reason, request.organisationId())));
        });
        return created(http, "id", correctionId, "fund",
                FundController.view(lookups.fund(request.organisationId(), request.fundId(), "fund_id")));
    }

    /**
     * A transfer's memo is shown in the receiving organisation's ledger, which cannot refuse or edit it (it
     * can only erase its copy): to another organisation it goes only from someone who moves money there too. Read
     * through the receiver's gate: in the transfer's transaction it stays passed (a role removed meanwhile
     * waits or is seen); before it, in a transaction of its own, it is passed and left at once.
     */
    private void requireMayWriteTo(Caller caller, String receiver) {
        try {
            access.requireHeld(caller, receiver, Role.MONEY);
        } catch (ApiException e) {
            throw ApiException.invalid("memo", "a transfer to another organisation carries no memo: it would be shown "
                    + "in that organisation's ledger, which only those who move its money write");
        }
    }

    /** An expense is booked on a project of the same fund that is still being planned or running. */
    private void requireProjectOpenFor(String organisationId, String fundId, String projectId) {
        ProjectLookupsReader.ProjectView project = projects.projectHeld(organisationId, projectId)
                .orElseThrow(() -> ApiException.invalid("project_id", "organisation " + organisationId + " has no project " + projectId));
        if (!project.fundId().equals(fundId)) {
            throw ApiException.invalid("project_id", "project " + projectId + " is funded by " + project.fundId() + ", not " + fundId);
        }
        if (!"planning".equals(project.status()) && !"active".equals(project.status())) {
            throw ApiException.conflict("project " + projectId + " is " + project.status() + " and takes no more expenses");
        }
    }

    /**
     * Authorises a money movement out of a fund and returns its visibility (the organisation's default
     * if unset); an unknown fund is named by the body's member {@code fundParam}. Checked again in the
     * movement's own transaction ({@link OrganisationAccess#requireHeldForMoney}).
     */
    private Visibility moneyOut(Caller caller, String organisationId, String fundId, String fundParam, Visibility requested) {
        access.require(caller, organisationId, Role.MONEY);
        Lookups.OrganisationView organisation = lookups.notSuspended(organisationId, "move money", "organisation_id");
        lookups.fund(organisationId, fundId, fundParam);
        return requested != null ? requested : Visibility.valueOf(organisation.defaultVisibility());
    }

    private static ResponseEntity<ApiEnvelope<Map<String, Object>>> created(HttpServletRequest http, String idKey, String id,
                                                                          String fundKey, Map<String, Object> fund) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put(idKey, id);
        data.put(fundKey, fund);
        return ResponseEntity.status(HttpStatus.CREATED).body(ApiEnvelope.of(data, RequestIds.current(http)));
    }
}
