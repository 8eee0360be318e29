package io.amply.command.fund;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.amply.command.OneTransaction;
import io.amply.command.lookup.Lookups;
import io.amply.command.security.Caller;
import io.amply.command.security.OrganisationAccess;
import io.amply.command.security.Role;
import io.amply.command.web.ApiException;
import io.amply.command.web.Ids;
import io.amply.command.web.RequestIds;
import io.amply.command.web.Text;
import io.amply.events.api.ApiData;
import io.amply.events.api.ApiEnvelope;
import io.amply.events.fund.CloseFundCommand;
import io.amply.events.fund.FundRestrictions;
import io.amply.events.fund.OpenFundCommand;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

@RestController
class FundController {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record OpenFundRequest(
            @NotBlank @Size(max = 200) String name,
            @NotNull @Pattern(regexp = "general|project|restricted|emergency",
                    message = "must be one of general, project, restricted, emergency") String type,
            @NotNull @Pattern(regexp = "EUR|GBP|USD|CHF", message = "must be one of EUR, GBP, USD, CHF") String currency,
            @Valid Restrictions restrictions) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Restrictions(@Size(max = 500) String purpose, @Size(max = 200) String geography, LocalDate startsOn,
                        LocalDate endsOn) {
    }

    private final CommandGateway commands;
    private final OrganisationAccess access;
    private final Lookups lookups;
    private final OneTransaction oneTransaction;

    FundController(CommandGateway commands, OrganisationAccess access, Lookups lookups, OneTransaction oneTransaction) {
        this.commands = commands;
        this.access = access;
        this.lookups = lookups;
        this.oneTransaction = oneTransaction;
    }

    @ResponseStatus(HttpStatus.CREATED)
    @PostMapping("/v1/organisations/{organisationId}/funds")
    @ApiData(FundAnswers.Fund.class)
    ResponseEntity<ApiEnvelope<Map<String, Object>>> open(@PathVariable String organisationId,
                                                          @Valid @RequestBody OpenFundRequest request,
                                                          Caller caller, HttpServletRequest http) {
        access.require(caller, organisationId, Role.MONEY);
        Restrictions r = request.restrictions();
        if (r != null) {
            requireStorableDate("restrictions.starts_on", r.startsOn());
            requireStorableDate("restrictions.ends_on", r.endsOn());
        }
        FundRestrictions restrictions = r == null ? FundRestrictions.none()
                : new FundRestrictions(Text.clean("restrictions.purpose", r.purpose()),
                Text.clean("restrictions.geography", r.geography()), r.startsOn(), r.endsOn());
        String fundId = Ids.next("fund_");
        String name = Text.clean("name", request.name());
        oneTransaction.run(() -> { // through the gate: a suspension waits for it, or it reads the suspension
            lookups.notSuspendedHeld(organisationId, "open funds");
            return commands.sendAndWait(new OpenFundCommand(fundId, organisationId, name, request.type(), request.currency(),
                    restrictions, caller.userId()));
        });
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(ApiEnvelope.of(view(lookups.fund(organisationId, fundId, "fund_id")), RequestIds.current(http)));
    }

    /** The fund and its balance as the write model knows it, right after a write. */
    @GetMapping("/v1/funds/{fundId}")
    @ApiData(FundAnswers.Fund.class)
    ApiEnvelope<Map<String, Object>> get(@PathVariable String fundId, Caller caller, HttpServletRequest http) {
        String organisationId = lookups.ownerOf(fundId, "fund_id");
        access.require(caller, organisationId, Role.ANY);
        return ApiEnvelope.of(view(lookups.fund(organisationId, fundId, "fund_id")), RequestIds.current(http));
    }

    /**
     * Closes a fund; refused while it holds money, and while a campaign raises money into it or a
     * project spends from it (each would be left refusing every donation or expense).
     */
    @PostMapping("/v1/funds/{fundId}/close")
    @ApiData(FundAnswers.Fund.class)
    ApiEnvelope<Map<String, Object>> close(@PathVariable String fundId, Caller caller, HttpServletRequest http) {
        String organisationId = lookups.ownerOf(fundId, "fund_id");
        access.require(caller, organisationId, Role.MANAGE);
        oneTransaction.run(() -> {
            Object closed = commands.sendAndWait(new CloseFundCommand(fundId, caller.userId()));
            // counted once the close has updated the fund's row (the lookups, at this transaction's
            // prepare-commit, before this handler): a campaign or project being created on the fund
            // holds that row until it commits, so it is counted here; one created later reads the fund closed
            CurrentUnitOfWork.get().onPrepareCommit(u -> {
                if (lookups.unfinishedWorkOf(organisationId, fundId) > 0) {
                    throw ApiException.conflict("fund " + fundId + " still has campaigns or projects that are not "
                            + "finished; complete or cancel them before closing it");
                }
            });
            return closed;
        });
        return ApiEnvelope.of(view(lookups.fund(organisationId, fundId, "fund_id")), RequestIds.current(http));
    }

    /** A day PostgreSQL's {@code date} holds and a person means: 1970 to 9999 (year 0 or 10000 would be read back as an error). */
    private static void requireStorableDate(String param, LocalDate day) {
        if (day != null && (day.getYear() < 1970 || day.getYear() > 9999)) {
            throw ApiException.invalid(param, param + " must be a date from 1970-01-01 to 9999-12-31");
        }
    }

    static Map<String, Object> view(Lookups.FundView fund) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", fund.id());
        view.put("organisation_id", fund.organisationId());
        view.put("name", fund.name());
        view.put("type", fund.type());
        view.put("currency", fund.currency());
        view.put("status", fund.status());
        view.put("balance", fund.balance());
        return view;
    }
}
