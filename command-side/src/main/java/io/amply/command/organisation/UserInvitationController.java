package io.amply.command.organisation;

import io.amply.command.OneTransaction;
import io.amply.command.lookup.Lookups;
import io.amply.command.security.Caller;
import io.amply.command.security.OrganisationAccess;
import io.amply.command.web.ApiException;
import io.amply.command.web.CommandRefusals;
import io.amply.command.web.IdPages;
import io.amply.command.web.Ids;
import io.amply.command.web.RequestIds;
import io.amply.db.TenantContext;
import io.amply.events.api.ApiData;
import io.amply.events.api.ApiEnvelope;
import io.amply.events.api.ApiErrorCode;
import io.amply.events.organisation.GrantMembershipCommand;
import jakarta.servlet.http.HttpServletRequest;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;

/**
 * A user's side of an invitation: the roles offered to them, accepting one (only they can) and
 * declining one. Read and declined while acting for the user, whose invitations row-level security
 * opens in every organisation (V36).
 */
@RestController
@RequestMapping("/v1/users/{userId}/invitations")
class UserInvitationController {

    private final CommandGateway commands;
    private final OneTransaction oneTransaction;
    private final OrganisationAccess access;
    private final Lookups lookups;
    private final JdbcTemplate jdbc;
    private final InvitationLookups invitations;

    UserInvitationController(CommandGateway commands, OneTransaction oneTransaction, OrganisationAccess access,
                             Lookups lookups, JdbcTemplate jdbc, InvitationLookups invitations) {
        this.commands = commands;
        this.oneTransaction = oneTransaction;
        this.access = access;
        this.lookups = lookups;
        this.jdbc = jdbc;
        this.invitations = invitations;
    }

    /** The user's own, or any user's for platform staff, by organisation id. */
    @GetMapping
    @ApiData(value = OrganisationAnswers.UserInvitation.class, list = true)
    ApiEnvelope<List<Map<String, Object>>> list(@PathVariable String userId,
                                                @RequestParam(required = false) Integer limit,
                                                @RequestParam(required = false) String cursor,
                                                Caller caller, HttpServletRequest http) {
        access.requireSelfOrPlatformAdmin(caller, userId, "you may list only your own invitations");
        if (jdbc.queryForList("SELECT 1 FROM users WHERE id = ?", userId).isEmpty()) { // platform staff may name anyone
            throw ApiException.notFound("user_id", "no user " + userId);
        }
        IdPages.Page page = IdPages.of(limit, cursor, "org_");
        List<Map<String, Object>> rows = lookups.actingFor(TenantContext.SET_USER, userId, () -> jdbc.query("""
                        SELECT organisation_id, organisation_name, role, invited_by, created_at FROM membership_invitations
                         WHERE user_id = ? AND organisation_id > ? ORDER BY organisation_id LIMIT ?""",
                IdPages.ROW, userId, page.after(), page.limit() + 1));
        return IdPages.envelope(rows, page, row -> (String) row.get("organisation_id"), RequestIds.current(http));
    }

    /**
     * The role takes effect, granted in the name of whoever offered it, under the organisation's rules
     * now: if they may no longer grant it, the organisation refuses and the offer has lapsed, and is gone.
     * The offer is claimed (deleted) in the grant's own transaction, so a withdrawal at the same moment
     * either comes first (nothing to accept) or waits and finds nothing to withdraw.
     */
    @PostMapping("/{organisationId}/accept")
    @ApiData(OrganisationAnswers.MembershipGranted.class)
    ApiEnvelope<Map<String, Object>> accept(@PathVariable String userId, @PathVariable String organisationId,
                                            Caller caller, HttpServletRequest http) {
        if (!caller.userId().equals(userId)) {
            throw ApiException.forbidden("only the invited user accepts an invitation");
        }
        InvitationLookups.Invitation accepted;
        try {
            accepted = oneTransaction.run(() -> {
                InvitationLookups.Invitation claimed = claim(userId, organisationId);
                commands.sendAndWait(new GrantMembershipCommand(organisationId, userId, claimed.role(), claimed.invitedBy(), false));
                return claimed;
            });
        } catch (CommandExecutionException refused) {
            if (CommandRefusals.answer(refused).map(answer -> answer.error().code()).orElse(null) != ApiErrorCode.AUTHORIZATION_ERROR) {
                throw refused;
            }
            invitations.withdraw(organisationId, userId);
            throw ApiException.conflict("the invitation to organisation " + organisationId
                    + " lapsed: whoever offered it may no longer grant that role");
        }
        return ApiEnvelope.of(OrganisationController.granted(organisationId, userId, accepted.role(), "active"),
                RequestIds.current(http));
    }

    /** The user's own, or any user's for platform staff; the organisation's owners may withdraw it too. */
    @DeleteMapping("/{organisationId}")
    @ApiData(OrganisationAnswers.InvitationDeclined.class)
    ApiEnvelope<Map<String, Object>> decline(@PathVariable String userId, @PathVariable String organisationId,
                                             Caller caller, HttpServletRequest http) {
        access.requireSelfOrPlatformAdmin(caller, userId, "you may decline only your own invitations");
        claim(userId, organisationId);
        return ApiEnvelope.of(Map.of("organisation_id", organisationId, "user_id", userId, "declined", true),
                RequestIds.current(http));
    }

    /** Takes the invitation away as it is read (accepted or declined): whoever takes it second finds none. */
    private InvitationLookups.Invitation claim(String userId, String organisationId) {
        if (!Ids.looksLike("org_", organisationId)) {
            throw ApiException.notFound("organisation_id", "no such organisation: " + organisationId);
        }
        return lookups.actingFor(TenantContext.SET_USER, userId, () -> jdbc.query("""
                                DELETE FROM membership_invitations WHERE user_id = ? AND organisation_id = ?
                                RETURNING role, invited_by""",
                        (rs, n) -> new InvitationLookups.Invitation(rs.getString(1), rs.getString(2)), userId, organisationId))
                .stream().findFirst().orElseThrow(() -> ApiException.notFound("organisation_id",
                        "no invitation to organisation " + organisationId + " for user " + userId));
    }

}
