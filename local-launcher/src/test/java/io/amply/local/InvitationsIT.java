package io.amply.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A role given by an organisation's owner or admin to someone without one is an invitation: it
 * gives nothing, and shows the organisation nothing of the person, until that person accepts it.
 */
class InvitationsIT {

    private static Api api;

    @BeforeAll
    static void start() {
        api = new Api(TestStack.get());
    }

    @Test
    void anOwnersGrantToSomeoneOutsideIsAnInvitationThatTakesEffectOnlyWhenTheyAcceptIt() throws SQLException {
        // given: an organisation with an owner, and a user with no role in it
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        Api.User owner = api.user("owner");
        Api.User invitee = api.user("invitee");
        Api.User stranger = api.user("stranger");
        api.grant(org.id(), owner.id(), "owner");
        String memberships = "/v1/organisations/" + org.id() + "/memberships";

        // when: the owner gives them a role
        JsonNode offered = api.ok(memberships, owner.key(), role(invitee.id(), "finance"));

        // then: invited, not a member: no access, and neither name nor e-mail shown to the organisation
        assertThat(offered.get("status").asText()).isEqualTo("invited");
        assertThat(api.get("/v1/organisations/" + org.id(), invitee.key()).status()).isEqualTo(403);
        assertThat(members(org.id(), owner.key())).doesNotContain(invitee.id());
        JsonNode pending = api.get("/v1/organisations/" + org.id() + "/invitations", owner.key()).body().get("data");
        assertThat(pending).singleElement().satisfies(invitation -> {
            assertThat(invitation.get("user_id").asText()).isEqualTo(invitee.id());
            assertThat(invitation.get("role").asText()).isEqualTo("finance");
            assertThat(invitation.get("invited_by").asText()).isEqualTo(owner.id());
            assertThat(invitation.toString()).doesNotContain("@example.org");
        });
        assertThat(api.count("SELECT count(*) FROM memberships WHERE user_id = ?", invitee.id())).isZero();
        // the invitee sees it with the organisation's name; nobody else may read or accept it for them
        JsonNode theirs = api.get("/v1/users/" + invitee.id() + "/invitations", invitee.key()).body().get("data");
        assertThat(theirs).singleElement().satisfies(invitation -> {
            assertThat(invitation.get("organisation_id").asText()).isEqualTo(org.id());
            assertThat(invitation.get("organisation_name").asText()).isNotBlank();
            assertThat(invitation.get("role").asText()).isEqualTo("finance");
        });
        assertThat(api.get("/v1/users/" + invitee.id() + "/invitations", stranger.key()).status()).isEqualTo(403);
        String accept = "/v1/users/" + invitee.id() + "/invitations/" + org.id() + "/accept";
        api.refused(accept, stranger.key(), "", 403, "authorization_error");
        api.refused(accept, Api.admin(), "", 403, "authorization_error");

        // when: they accept
        JsonNode accepted = api.ok(accept, invitee.key(), "");

        // then: a member with the role, in the inviter's name, and the invitation spent
        assertThat(accepted.get("status").asText()).isEqualTo("active");
        assertThat(accepted.get("role").asText()).isEqualTo("finance");
        assertThat(api.get("/v1/organisations/" + org.id(), invitee.key()).status()).isEqualTo(200);
        assertThat(members(org.id(), owner.key())).contains(invitee.id());
        assertThat(api.get("/v1/organisations/" + org.id() + "/invitations", owner.key()).body().get("data")).isEmpty();
        assertThat(api.get("/v1/users/" + invitee.id() + "/invitations", invitee.key()).body().get("data")).isEmpty();
        assertThat(api.count("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ? AND payload_type LIKE "
                + "'%.MembershipGrantedEvent' AND convert_from(payload, 'UTF8') LIKE ?", org.id(),
                "%\"userId\":\"" + invitee.id() + "\"%\"grantedBy\":\"" + owner.id() + "\"%")).isEqualTo(1);
        api.refused(accept, invitee.key(), "", 404, "not_found");
        // and a member's role changes at once
        assertThat(api.ok(memberships, owner.key(), role(invitee.id(), "viewer")).get("status").asText()).isEqualTo("active");
        assertThat(api.count("SELECT count(*) FROM memberships WHERE user_id = ? AND role = 'viewer'", invitee.id())).isEqualTo(1);
    }

    @Test
    void aDeclinedOrWithdrawnInvitationGivesNothing() throws SQLException {
        // given: two invitations from an admin of the organisation
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        Api.User admin = api.user("admin");
        Api.User declining = api.user("declining");
        Api.User withdrawn = api.user("withdrawn");
        api.grant(org.id(), admin.id(), "admin");
        String memberships = "/v1/organisations/" + org.id() + "/memberships";
        api.ok(memberships, admin.key(), role(declining.id(), "viewer"));
        api.ok(memberships, admin.key(), role(withdrawn.id(), "content"));

        // (offered again, the offer is replaced, not added)
        api.ok(memberships, admin.key(), role(withdrawn.id(), "viewer"));
        assertThat(api.count("SELECT count(*) FROM membership_invitations WHERE user_id = ? AND role = 'viewer'", withdrawn.id()))
                .isEqualTo(1);

        // when: one declines it, and the admin withdraws the other
        Http.Response declined = Http.delete(api.url("/v1/users/" + declining.id() + "/invitations/" + org.id()), declining.key());
        Http.Response removed = Http.delete(api.url(memberships + "/" + withdrawn.id()), admin.key());

        // then: neither can accept, and neither is a member
        assertThat(declined.status()).as(declined.raw()).isEqualTo(200);
        assertThat(declined.body().at("/data/declined").asBoolean()).isTrue();
        assertThat(removed.status()).as(removed.raw()).isEqualTo(200);
        for (Api.User user : List.of(declining, withdrawn)) {
            api.refused("/v1/users/" + user.id() + "/invitations/" + org.id() + "/accept", user.key(), "", 404, "not_found");
            assertThat(api.count("SELECT count(*) FROM memberships WHERE user_id = ?", user.id())).isZero();
        }
        assertThat(api.count("SELECT count(*) FROM membership_invitations WHERE organisation_id = ?", org.id())).isZero();
        assertThat(Http.delete(api.url("/v1/users/" + declining.id() + "/invitations/" + org.id()), declining.key()).status())
                .isEqualTo(404);
    }

    @Test
    void anAdminInvitesNoOwnerAndAnInvitationLapsesWhenItsSenderMayNoLongerGiveIt() throws SQLException {
        // given: an admin who invites someone, and is then made a viewer by platform staff
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        Api.User admin = api.user("lapsing");
        Api.User invitee = api.user("late");
        api.grant(org.id(), admin.id(), "admin");
        String memberships = "/v1/organisations/" + org.id() + "/memberships";
        api.refused(memberships, admin.key(), role(invitee.id(), "owner"), 403, "authorization_error");
        assertThat(api.count("SELECT count(*) FROM membership_invitations WHERE user_id = ?", invitee.id())).isZero();
        api.ok(memberships, admin.key(), role(invitee.id(), "finance"));
        api.grant(org.id(), admin.id(), "viewer");

        // when
        JsonNode lapsed = api.refused("/v1/users/" + invitee.id() + "/invitations/" + org.id() + "/accept", invitee.key(), "",
                409, "conflict");

        // then: no role, and the invitation gone
        assertThat(lapsed.get("message").asText()).contains("lapsed");
        assertThat(api.count("SELECT count(*) FROM memberships WHERE user_id = ?", invitee.id())).isZero();
        assertThat(api.count("SELECT count(*) FROM membership_invitations WHERE user_id = ?", invitee.id())).isZero();
    }

    @Test
    void onlyAnOwnerOffersTheOwnersRoleChangesOrWithdrawsThatOfferAndItLapsesWhenTheOwnerGoes() throws SQLException {
        // given: an owner's offer of the owner's role, and an admin
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        Api.User owner = api.user("offering-owner");
        Api.User admin = api.user("mere-admin");
        Api.User invitee = api.user("would-be-owner");
        api.grant(org.id(), owner.id(), "owner");
        api.grant(org.id(), admin.id(), "admin");
        String memberships = "/v1/organisations/" + org.id() + "/memberships";
        api.ok(memberships, owner.key(), role(invitee.id(), "owner"));

        // when: the admin tries to lower the offer, and to withdraw it
        api.refused(memberships, admin.key(), role(invitee.id(), "viewer"), 403, "authorization_error");
        Http.Response withdrawal = Http.delete(api.url(memberships + "/" + invitee.id()), admin.key());

        // then: refused, the offer as it was
        assertThat(withdrawal.status()).as(withdrawal.raw()).isEqualTo(403);
        assertThat(api.count("SELECT count(*) FROM membership_invitations WHERE user_id = ? AND role = 'owner'", invitee.id()))
                .isEqualTo(1);
        // and once the owner who made it has no role there at all, it has lapsed
        Http.Response removed = Http.delete(api.url(memberships + "/" + owner.id()), Api.admin());
        assertThat(removed.status()).as(removed.raw()).isEqualTo(200);
        api.refused("/v1/users/" + invitee.id() + "/invitations/" + org.id() + "/accept", invitee.key(), "", 409, "conflict");
        assertThat(api.count("SELECT count(*) FROM memberships WHERE user_id = ?", invitee.id())).isZero();
        assertThat(api.count("SELECT count(*) FROM membership_invitations WHERE user_id = ?", invitee.id())).isZero();
    }

    private static String role(String userId, String role) {
        return "{\"user_id\": \"" + userId + "\", \"role\": \"" + role + "\"}";
    }

    private static List<String> members(String org, String key) {
        Http.Response listed = api.get("/v1/organisations/" + org + "/memberships", key);
        assertThat(listed.status()).as(listed.raw()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        listed.body().get("data").forEach(member -> ids.add(member.get("user_id").asText()));
        return ids;
    }
}
