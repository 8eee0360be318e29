package io.amply.command.business;

import io.amply.command.lookup.BusinessLookupsReader;
import io.amply.command.lookup.Lookups;
import io.amply.command.security.Caller;
import io.amply.command.security.OrganisationAccess;
import io.amply.command.security.Role;
import io.amply.command.web.ApiException;
import io.amply.command.web.RequestIds;
import io.amply.events.api.ApiData;
import io.amply.events.api.ApiEnvelope;
import io.amply.events.business.AcceptMatchingProgrammeCommand;
import io.amply.events.business.DeclineMatchingProgrammeCommand;
import jakarta.servlet.http.HttpServletRequest;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;

/**
 * An organisation's side of the matching programmes businesses propose to it: it sees them, and its
 * owners and admins accept (proposed → active) or decline them (proposed or active → declined). Until
 * accepted a programme matches nothing: an organisation decides whose money arrives in its name, and a
 * programme's {@code used_amount} tells its business the amount of every donation it matched.
 */
@RestController
class ProgrammeConsentController {

    private final CommandGateway commands;
    private final OrganisationAccess access;
    private final Lookups lookups;
    private final BusinessLookupsReader businesses;

    ProgrammeConsentController(CommandGateway commands, OrganisationAccess access, Lookups lookups,
                               BusinessLookupsReader businesses) {
        this.commands = commands;
        this.access = access;
        this.lookups = lookups;
        this.businesses = businesses;
    }

    /** Every programme proposed to the organisation, whatever its status, by id: any role in it. */
    @GetMapping("/v1/organisations/{organisationId}/matching-programmes")
    @ApiData(value = BusinessAnswers.MatchingProgramme.class, list = true)
    ApiEnvelope<List<Map<String, Object>>> programmes(@PathVariable String organisationId,
                                                      @RequestParam(required = false) Integer limit,
                                                      @RequestParam(required = false) String cursor,
                                                      Caller caller, HttpServletRequest http) {
        access.require(caller, organisationId, Role.ANY);
        lookups.organisation(organisationId); // platform staff hold any id: an unknown one is not_found, not an empty list
        return BusinessController.programmePage(limit, cursor,
                (after, rows) -> businesses.programmesFor(organisationId, after, rows), http);
    }

    /** proposed → active: the programme matches the organisation's donations in its scope from now on. Owners and admins. */
    @PostMapping("/v1/matching-programmes/{programmeId}/accept")
    @ApiData(BusinessAnswers.MatchingProgramme.class)
    ApiEnvelope<Map<String, Object>> accept(@PathVariable String programmeId, Caller caller, HttpServletRequest http) {
        BusinessLookupsReader.ProgrammeView programme = managed(programmeId, caller);
        lookups.notSuspended(programme.organisationId(), "accept matching programmes");
        commands.sendAndWait(new AcceptMatchingProgrammeCommand(programme.businessId(), programmeId,
                programme.organisationId(), caller.userId()));
        return ApiEnvelope.of(view(programme.organisationId(), programmeId), RequestIds.current(http));
    }

    /**
     * proposed or active → declined: the programme matches nothing more (matches already made stay, as
     * money that moved does). Owners and admins, also while the organisation is suspended.
     */
    @PostMapping("/v1/matching-programmes/{programmeId}/decline")
    @ApiData(BusinessAnswers.MatchingProgramme.class)
    ApiEnvelope<Map<String, Object>> decline(@PathVariable String programmeId, Caller caller, HttpServletRequest http) {
        BusinessLookupsReader.ProgrammeView programme = managed(programmeId, caller);
        commands.sendAndWait(new DeclineMatchingProgrammeCommand(programme.businessId(), programmeId,
                programme.organisationId(), caller.userId()));
        return ApiEnvelope.of(view(programme.organisationId(), programmeId), RequestIds.current(http));
    }

    private BusinessLookupsReader.ProgrammeView managed(String programmeId, Caller caller) {
        String organisationId = lookups.ownerOf(programmeId, "programme_id");
        access.require(caller, organisationId, Role.MANAGE);
        return programme(organisationId, programmeId);
    }

    private BusinessLookupsReader.ProgrammeView programme(String organisationId, String programmeId) {
        return businesses.programme(organisationId, programmeId)
                .orElseThrow(() -> ApiException.notFound("programme_id", "no matching programme " + programmeId));
    }

    private Map<String, Object> view(String organisationId, String programmeId) {
        return BusinessController.programmeView(programme(organisationId, programmeId));
    }
}
