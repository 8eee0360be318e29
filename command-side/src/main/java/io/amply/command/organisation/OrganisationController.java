package io.amply.command.organisation;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.amply.command.OneTransaction;
import io.amply.command.lookup.Lookups;
import io.amply.command.lookup.StatusReasons;
import io.amply.command.security.Caller;
import io.amply.command.security.OrganisationAccess;
import io.amply.command.security.Role;
import io.amply.command.web.ApiException;
import io.amply.command.web.IdPages;
import io.amply.command.web.Country;
import io.amply.command.web.Ids;
import io.amply.command.web.RequestIds;
import io.amply.command.web.Text;
import io.amply.events.Visibility;
import io.amply.events.api.ApiData;
import io.amply.events.api.ApiEnvelope;
import io.amply.events.organisation.CreateOrganisationCommand;
import io.amply.events.organisation.GrantMembershipCommand;
import io.amply.events.organisation.ReinstateOrganisationCommand;
import io.amply.events.organisation.RequestLedgerCheckpointCommand;
import io.amply.events.organisation.RevokeMembershipCommand;
import io.amply.events.organisation.SuspendOrganisationCommand;
import io.amply.events.organisation.UpdateOrganisationProfileCommand;
import io.amply.events.organisation.VerifyOrganisationCommand;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@RestController
@RequestMapping("/v1/organisations")
class OrganisationController {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record CreateOrganisationRequest(
            @NotBlank @Size(max = 200) String name,
            @NotBlank @Pattern(regexp = "[A-Z]{2}", message = "must be an ISO 3166-1 alpha-2 code, e.g. GB") @Country String country,
            Visibility defaultVisibility,
            Boolean acceptsFundraisers,
            @Pattern(regexp = "EUR|GBP|USD|CHF", message = "must be one of EUR, GBP, USD, CHF") String currency) {
    }

    /** Every member optional: what is left out keeps its value. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record UpdateProfileRequest(
            @Size(min = 1, max = 200) String name,
            @Pattern(regexp = "[A-Z]{2}", message = "must be an ISO 3166-1 alpha-2 code, e.g. GB") @Country String country,
            Visibility defaultVisibility,
            Boolean acceptsFundraisers) {
    }

    record VerifyRequest(@NotBlank @Pattern(regexp = "basic|standard|enhanced", message = "must be basic, standard or enhanced") String level) {
    }

    record SuspendRequest(@NotBlank @Size(max = 500) String reason) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record MembershipRequest(
            @NotBlank @Size(max = 20) @Pattern(regexp = Ids.USER, message = Ids.USER_MESSAGE) String userId,
            @NotBlank @Pattern(regexp = "owner|admin|finance|content|viewer|auditor",
                    message = "must be one of owner, admin, finance, content, viewer, auditor") String role) {
    }

    private final CommandGateway commands;
    private final OrganisationAccess access;
    private final Lookups lookups;
    private final JdbcTemplate jdbc;
    private final InvitationLookups invitations;
    private final StatusReasons reasons;
    private final OneTransaction oneTransaction;

    OrganisationController(CommandGateway commands, OrganisationAccess access, Lookups lookups, JdbcTemplate jdbc,
                           InvitationLookups invitations, StatusReasons reasons, OneTransaction oneTransaction) {
        this.reasons = reasons;
        this.oneTransaction = oneTransaction;
        this.commands = commands;
        this.access = access;
        this.lookups = lookups;
        this.jdbc = jdbc;
        this.invitations = invitations;
    }

    /** Any signed-in user may create an organisation; they become its owner. */
    @ResponseStatus(HttpStatus.CREATED)
    @PostMapping
    @ApiData(OrganisationAnswers.Organisation.class)
    ResponseEntity<ApiEnvelope<Map<String, Object>>> create(@Valid @RequestBody CreateOrganisationRequest request,
                                                            Caller caller, HttpServletRequest http) {
        String organisationId = Ids.next("org_");
        commands.sendAndWait(new CreateOrganisationCommand(organisationId, Text.clean("name", request.name()),
                request.country(), request.defaultVisibility() == null ? Visibility.public_full : request.defaultVisibility(),
                Boolean.TRUE.equals(request.acceptsFundraisers()), Ids.next("fund_"),
                request.currency() == null ? "EUR" : request.currency(), caller.userId()));
        return ResponseEntity.status(HttpStatus.CREATED).body(ApiEnvelope.of(read(organisationId), RequestIds.current(http)));
    }

    /** The command side's view of an organisation, right after a write. */
    @GetMapping("/{organisationId}")
    @ApiData(OrganisationAnswers.Organisation.class)
    ApiEnvelope<Map<String, Object>> get(@PathVariable String organisationId, Caller caller, HttpServletRequest http) {
        access.require(caller, organisationId, Role.ANY);
        return ApiEnvelope.of(read(organisationId), RequestIds.current(http));
    }

    @PatchMapping("/{organisationId}")
    @ApiData(OrganisationAnswers.Organisation.class)
    ApiEnvelope<Map<String, Object>> update(@PathVariable String organisationId,
                                            @Valid @RequestBody UpdateProfileRequest request,
                                            Caller caller, HttpServletRequest http) {
        access.require(caller, organisationId, Role.MANAGE);
        lookups.organisation(organisationId);
        // a member left out (or null) stays as it is; the organisation merges under its lock
        commands.sendAndWait(new UpdateOrganisationProfileCommand(organisationId,
                request.name() == null ? null : Text.clean("name", request.name()), request.country(),
                request.defaultVisibility(), request.acceptsFundraisers(), caller.userId()));
        return ApiEnvelope.of(read(organisationId), RequestIds.current(http));
    }

    @PostMapping("/{organisationId}/verify")
    @ApiData(OrganisationAnswers.Organisation.class)
    ApiEnvelope<Map<String, Object>> verify(@PathVariable String organisationId, @Valid @RequestBody VerifyRequest request,
                                            Caller caller, HttpServletRequest http) {
        access.requirePlatformAdmin(caller);
        lookups.organisation(organisationId);
        commands.sendAndWait(new VerifyOrganisationCommand(organisationId, request.level(), caller.userId()));
        return ApiEnvelope.of(read(organisationId), RequestIds.current(http));
    }

    @PostMapping("/{organisationId}/suspend")
    @ApiData(OrganisationAnswers.Organisation.class)
    ApiEnvelope<Map<String, Object>> suspend(@PathVariable String organisationId, @Valid @RequestBody SuspendRequest request,
                                             Caller caller, HttpServletRequest http) {
        access.requirePlatformAdmin(caller);
        lookups.organisation(organisationId);
        String reason = Text.clean("reason", request.reason());
        // the reason beside the organisation while it is suspended, not in the event (Kafka keeps those for good)
        oneTransaction.run(() -> {
            reasons.record(organisationId, organisationId, "suspended", reason, caller.userId());
            return commands.sendAndWait(new SuspendOrganisationCommand(organisationId, caller.userId()));
        });
        return ApiEnvelope.of(read(organisationId), RequestIds.current(http));
    }

    @PostMapping("/{organisationId}/reinstate")
    @ApiData(OrganisationAnswers.Organisation.class)
    ApiEnvelope<Map<String, Object>> reinstate(@PathVariable String organisationId, Caller caller, HttpServletRequest http) {
        access.requirePlatformAdmin(caller);
        lookups.organisation(organisationId);
        oneTransaction.run(() -> {
            reasons.forget(organisationId, organisationId); // the suspension's reason no longer applies
            return commands.sendAndWait(new ReinstateOrganisationCommand(organisationId, caller.userId()));
        });
        return ApiEnvelope.of(read(organisationId), RequestIds.current(http));
    }

    /**
     * Grants a role (replacing any other); {@code auditor} gives read access to the full ledger. To
     * someone without a role in the organisation it is an invitation until they accept it, unless
     * platform staff grant it.
     */
    @ResponseStatus(HttpStatus.CREATED)
    @PostMapping("/{organisationId}/memberships")
    @ApiData(OrganisationAnswers.MembershipGranted.class)
    ResponseEntity<ApiEnvelope<Map<String, Object>>> grant(@PathVariable String organisationId,
                                                           @Valid @RequestBody MembershipRequest request,
                                                           Caller caller, HttpServletRequest http) {
        access.require(caller, organisationId, Role.MANAGE);
        lookups.organisation(organisationId);
        if (jdbc.queryForList("SELECT id FROM users WHERE id = ?", String.class, request.userId()).isEmpty()) {
            throw ApiException.invalid("user_id", "no user " + request.userId());
        }
        if (!caller.platformAdmin() && invitations.role(organisationId, request.userId()).isEmpty()) {
            // the person has not agreed to be part of it (nor to show it their name and e-mail address);
            // only an owner offers the owner's role, or changes an offer of it
            if ("owner".equals(request.role())
                    || invitations.offered(organisationId, request.userId()).filter("owner"::equals).isPresent()) {
                access.require(caller, organisationId, Role.OWNER);
            }
            if (invitations.invite(organisationId, request.userId(), request.role(), caller.userId())) {
                return ResponseEntity.status(HttpStatus.CREATED).body(ApiEnvelope.of(granted(organisationId, request.userId(),
                        request.role(), "invited"), RequestIds.current(http)));
            }
            // a member a moment ago: their role changes, as any member's
        }
        // only an owner makes owners or changes theirs: the organisation decides, under its lock
        commands.sendAndWait(new GrantMembershipCommand(organisationId, request.userId(), request.role(), caller.userId(),
                caller.platformAdmin()));
        return ResponseEntity.status(HttpStatus.CREATED).body(ApiEnvelope.of(granted(organisationId, request.userId(),
                request.role(), "active"), RequestIds.current(http)));
    }

    static Map<String, Object> granted(String organisationId, String userId, String role, String status) {
        return Map.of("organisation_id", organisationId, "user_id", userId, "role", role, "status", status);
    }

    /** The roles offered and not yet accepted, by user id: for its owners and admins; the invitees' ids only. */
    @GetMapping("/{organisationId}/invitations")
    @ApiData(value = OrganisationAnswers.Invitation.class, list = true)
    ApiEnvelope<List<Map<String, Object>>> invitations(@PathVariable String organisationId,
                                                       @RequestParam(required = false) Integer limit,
                                                       @RequestParam(required = false) String cursor,
                                                       Caller caller, HttpServletRequest http) {
        access.require(caller, organisationId, Role.MANAGE);
        lookups.organisation(organisationId);
        IdPages.Page page = IdPages.of(limit, cursor, "usr_");
        List<Map<String, Object>> rows = lookups.inContext(organisationId, () -> jdbc.query("""
                        SELECT user_id, role, invited_by, created_at FROM membership_invitations
                         WHERE organisation_id = ? AND user_id > ? ORDER BY user_id LIMIT ?""",
                IdPages.ROW, organisationId, page.after(), page.limit() + 1));
        return IdPages.envelope(rows, page, row -> (String) row.get("user_id"), RequestIds.current(http));
    }

    /** Who has a role in the organisation, by user id, with their names and e-mail addresses: for its owners and admins. */
    @GetMapping("/{organisationId}/memberships")
    @ApiData(value = OrganisationAnswers.Member.class, list = true)
    ApiEnvelope<List<Map<String, Object>>> members(@PathVariable String organisationId,
                                                   @RequestParam(required = false) Integer limit,
                                                   @RequestParam(required = false) String cursor,
                                                   Caller caller, HttpServletRequest http) {
        access.require(caller, organisationId, Role.MANAGE);
        lookups.organisation(organisationId);
        IdPages.Page page = IdPages.of(limit, cursor, "usr_");
        List<Map<String, Object>> rows = lookups.inContext(organisationId, () -> jdbc.query("""
                        SELECT m.user_id, u.name, u.email, m.role, m.created_at
                          FROM memberships m JOIN users u ON u.id = m.user_id
                         WHERE m.organisation_id = ? AND m.user_id > ? ORDER BY m.user_id LIMIT ?""",
                IdPages.ROW, organisationId, page.after(), page.limit() + 1));
        return IdPages.envelope(rows, page, row -> (String) row.get("user_id"), RequestIds.current(http));
    }

    @DeleteMapping("/{organisationId}/memberships/{userId}")
    @ApiData(OrganisationAnswers.MembershipRevoked.class)
    ApiEnvelope<Map<String, Object>> revoke(@PathVariable String organisationId, @PathVariable String userId,
                                            Caller caller, HttpServletRequest http) {
        access.require(caller, organisationId, Role.MANAGE);
        lookups.organisation(organisationId);
        if (!Ids.looksLike("usr_", userId)) { // an id of another kind in a path is no such resource
            throw ApiException.notFound("user_id", "no such member: " + userId);
        }
        // an invitation not yet accepted is withdrawn (one of the owner's role only by an owner, as an owner's removal)
        if (invitations.offered(organisationId, userId).filter("owner"::equals).isPresent()) {
            access.require(caller, organisationId, Role.OWNER);
        }
        if (invitations.withdraw(organisationId, userId) && invitations.role(organisationId, userId).isEmpty()) {
            return ApiEnvelope.of(Map.of("organisation_id", organisationId, "user_id", userId, "revoked", true),
                    RequestIds.current(http));
        }
        commands.sendAndWait(new RevokeMembershipCommand(organisationId, userId, caller.userId(), caller.platformAdmin()));
        return ApiEnvelope.of(Map.of("organisation_id", organisationId, "user_id", userId, "revoked", true),
                RequestIds.current(http));
    }

    /** An on-demand checkpoint of the organisation's chain; it appears on the query side shortly after. */
    @ResponseStatus(HttpStatus.ACCEPTED)
    @PostMapping("/{organisationId}/checkpoints")
    @ApiData(OrganisationAnswers.CheckpointRequested.class)
    ResponseEntity<ApiEnvelope<Map<String, Object>>> checkpoint(@PathVariable String organisationId, Caller caller,
                                                                HttpServletRequest http) {
        access.require(caller, organisationId, Role.MONEY);
        lookups.organisation(organisationId);
        commands.sendAndWait(new RequestLedgerCheckpointCommand(organisationId, caller.userId()));
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(ApiEnvelope.of(Map.of("organisation_id", organisationId,
                "requested", true), RequestIds.current(http)));
    }

    private Map<String, Object> read(String organisationId) {
        return lookups.inContext(organisationId, () -> {
            List<Map<String, Object>> organisations = jdbc.query("""
                    SELECT id, name, country, status, verification_level, default_visibility, accepts_fundraisers, created_at
                      FROM organisations WHERE id = ?""",
                    (rs, row) -> {
                        Map<String, Object> organisation = new LinkedHashMap<>();
                        organisation.put("id", rs.getString("id"));
                        organisation.put("name", rs.getString("name"));
                        organisation.put("country", rs.getString("country"));
                        organisation.put("status", rs.getString("status"));
                        organisation.put("verification_level", rs.getString("verification_level"));
                        organisation.put("default_visibility", rs.getString("default_visibility"));
                        organisation.put("accepts_fundraisers", rs.getBoolean("accepts_fundraisers"));
                        organisation.put("created_at", rs.getTimestamp("created_at").toInstant().toString());
                        return organisation;
                    }, organisationId);
            if (organisations.isEmpty()) {
                throw ApiException.notFound("organisation_id", "no organisation " + organisationId);
            }
            Map<String, Object> organisation = organisations.get(0);
            organisation.put("suspension_reason", "suspended".equals(organisation.get("status"))
                    ? reasons.of(organisationId, organisationId, "suspended") : null);
            organisation.put("funds", jdbc.query("""
                    SELECT id, name, type, currency, status, balance FROM funds WHERE organisation_id = ? ORDER BY created_at, id""",
                    (rs, row) -> {
                        Map<String, Object> fund = new LinkedHashMap<>();
                        fund.put("id", rs.getString("id"));
                        fund.put("name", rs.getString("name"));
                        fund.put("type", rs.getString("type"));
                        fund.put("currency", rs.getString("currency"));
                        fund.put("status", rs.getString("status"));
                        fund.put("balance", rs.getLong("balance"));
                        return fund;
                    }, organisationId));
            return organisation;
        });
    }
}
