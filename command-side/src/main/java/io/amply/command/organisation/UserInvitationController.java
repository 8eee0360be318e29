package io.amply.command.organisation;

import io.amply.command.OneTransaction;
import io.amply.command.lookup.Lookups;
import io.amply.command.security.Caller;
import io.amply.command.security.Role;
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
    private final Lookups lookups;
    private final JdbcTemplate jdbc;
    private final InvitationLookups invitations;

    UserInvitationController(CommandGateway commands, OneTransaction oneTransaction, Lookups lookups, JdbcTemplate jdbc,
                             InvitationLookups invitations) {
        this.commands = commands;
        this.oneTransaction = oneTransaction;
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
        requireSelfOrAdmin(caller, userId, "you may list only your own invitations");
        IdPages.Page page = IdPages.of(limit, cursor, "org_");
        List<Map<String, Object>> rows = lookups.actingFor(TenantContext.SET_USER, userId, () -> jdbc.query("""
                        SELECT organisation_id, organisation_name, role, invited_by, created_at FROM membership_invitations
                         WHERE user_id = ? AND organisation_id > ? ORDER BY organisation_id LIMIT ?""",
                IdPages.ROW, userId, page.after(), page.limit() + 1));
        return IdPages.envelope(rows, page, row -> (String) row.get("organisation_id"), RequestIds.current(http));
    }

    /**
     * The role takes effect, granted in the name of whoever offered it and under the organisation's
     * rules then: an offer whose sender may no longer grant it has lapsed, and is gone. The offer is
     * claimed (deleted) in the grant's own transaction, so a withdrawal at the same moment either
     * comes first (nothing to accept) or waits and finds nothing to withdraw.
     */
    @PostMapping("/{organisationId}/accept")
    @ApiData(OrganisationAnswers.MembershipGranted.class)
    ApiEnvelope<Map<String, Object>> accept(@PathVariable String userId, @PathVariable String organisationId,
                                            Caller caller, HttpServletRequest http) {
        if (!caller.userId().equals(userId)) {
            throw ApiException.forbidden("only the invited user accepts an invitation");
        }
        InvitationLookups.Invitation invitation;
        try {
            invitation = oneTransaction.run(() -> {
                InvitationLookups.Invitation claimed = claim(userId, organisationId);
                if (!mayGrant(organisationId, claimed)) {
                    return claimed; // lapsed: its removal commits, and the answer says so below
                }
                commands.sendAndWait(new GrantMembershipCommand(organisationId, userId, claimed.role(), claimed.invitedBy(), false));
                return null;
            });
        } catch (CommandExecutionException refused) {
            // the organisation refused the inviter's grant under its lock: their role changed a moment ago
            if (CommandRefusals.answer(refused).map(answer -> answer.error().code()).orElse(null) != ApiErrorCode.AUTHORIZATION_ERROR) {
                throw refused;
            }
            invitations.withdraw(organisationId, userId);
            throw lapsed(organisationId, "its sender may no longer grant it");
        }
        if (invitation != null) {
            throw lapsed(organisationId, invitation.invitedBy() + " may no longer grant the role " + invitation.role());
        }
        String role = invitations.role(organisationId, userId).orElseThrow();
        return ApiEnvelope.of(OrganisationController.granted(organisationId, userId, role, "active"), RequestIds.current(http));
    }

    /** The inviter still holds a role that makes this one: an owner, or an admin for any role but owner. */
    private boolean mayGrant(String organisationId, InvitationLookups.Invitation invitation) {
        String inviterRole = invitations.role(organisationId, invitation.invitedBy()).orElse(null);
        return Role.owner.name().equals(inviterRole)
                || (Role.admin.name().equals(inviterRole) && !Role.owner.name().equals(invitation.role()));
    }

    private static ApiException lapsed(String organisationId, String why) {
        return ApiException.conflict("the invitation to organisation " + organisationId + " lapsed: " + why);
    }

    /** The user's own, or any user's for platform staff; the organisation's owners may withdraw it too. */
    @DeleteMapping("/{organisationId}")
    @ApiData(OrganisationAnswers.InvitationDeclined.class)
    ApiEnvelope<Map<String, Object>> decline(@PathVariable String userId, @PathVariable String organisationId,
                                             Caller caller, HttpServletRequest http) {
        requireSelfOrAdmin(caller, userId, "you may decline only your own invitations");
        int declined = lookups.actingFor(TenantContext.SET_USER, userId, () -> jdbc.update(
                "DELETE FROM membership_invitations WHERE user_id = ? AND organisation_id = ?", userId, organisationId));
        if (declined == 0) {
            throw ApiException.notFound("organisation_id", "no invitation to organisation " + organisationId + " for user " + userId);
        }
        return ApiEnvelope.of(Map.of("organisation_id", organisationId, "user_id", userId, "declined", true),
                RequestIds.current(http));
    }

    /** Takes the invitation away as it is read: whoever takes it second finds none. */
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

    private static void requireSelfOrAdmin(Caller caller, String userId, String refusal) {
        if (!caller.platformAdmin() && !caller.userId().equals(userId)) {
            throw ApiException.forbidden(refusal);
        }
    }
}
