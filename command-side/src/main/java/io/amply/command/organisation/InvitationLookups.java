package io.amply.command.organisation;

import io.amply.command.lookup.Lookups;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;

/**
 * Roles offered to people who have none in the organisation yet: a mutable table beside the
 * memberships (V36), not events. An offer is no fact about the organisation until it is accepted,
 * and then the grant is an event as any other, in the inviter's name.
 */
@Component
class InvitationLookups {

    record Invitation(String role, String invitedBy) {
    }

    private final JdbcTemplate jdbc;
    private final Lookups lookups;

    InvitationLookups(JdbcTemplate jdbc, Lookups lookups) {
        this.jdbc = jdbc;
        this.lookups = lookups;
    }

    /** The user's role in the organisation, if any. */
    Optional<String> role(String organisationId, String userId) {
        List<String> roles = lookups.inContext(organisationId, () -> jdbc.queryForList(
                "SELECT role FROM memberships WHERE organisation_id = ? AND user_id = ?", String.class, organisationId, userId));
        return roles.stream().findFirst();
    }

    /** The role offered to the user and not yet accepted, if any. */
    Optional<String> offered(String organisationId, String userId) {
        List<String> roles = lookups.inContext(organisationId, () -> jdbc.queryForList(
                "SELECT role FROM membership_invitations WHERE organisation_id = ? AND user_id = ?", String.class,
                organisationId, userId));
        return roles.stream().findFirst();
    }

    /**
     * Offers the role, replacing an earlier offer to the same user; false, and nothing offered, when the
     * user has become a member since the caller looked.
     */
    boolean invite(String organisationId, String userId, String role, String invitedBy) {
        return lookups.inContext(organisationId, () -> jdbc.update("""
                        INSERT INTO membership_invitations (organisation_id, user_id, role, organisation_name, invited_by)
                        SELECT o.id, ?, ?, o.name, ? FROM organisations o
                         WHERE o.id = ? AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.organisation_id = o.id AND m.user_id = ?)
                        ON CONFLICT (organisation_id, user_id) DO UPDATE
                            SET role = EXCLUDED.role, organisation_name = EXCLUDED.organisation_name,
                                invited_by = EXCLUDED.invited_by, created_at = now()""",
                userId, role, invitedBy, organisationId, userId)) > 0;
    }

    /** Withdraws the organisation's offer to the user; false when there was none. */
    boolean withdraw(String organisationId, String userId) {
        return lookups.inContext(organisationId, () -> jdbc.update(
                "DELETE FROM membership_invitations WHERE organisation_id = ? AND user_id = ?", organisationId, userId)) > 0;
    }
}
