package io.amply.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Who is in an organisation, and which organisations a user is in: the lists a dashboard starts from. */
class MembershipListsIT {

    private static TestStack stack;
    private static Api api;

    @BeforeAll
    static void start() {
        stack = TestStack.get();
        api = new Api(stack);
    }

    @Test
    void aUserListsTheOrganisationsTheyHaveARoleInPageByPageAndNoOthers() {
        // given: a user who is finance in two organisations and auditor in a third; a fourth they are not in
        Api.User user = api.user("lists");
        List<String> theirs = new ArrayList<>();
        for (String role : List.of("finance", "finance", "auditor")) {
            String org = api.organisation(Api.admin(), "GBP").id();
            api.grant(org, user.id(), role);
            theirs.add(org);
        }
        String notTheirs = api.organisation(Api.admin(), "GBP").id();

        // when: two at a time
        Http.Response first = api.get("/v1/users/" + user.id() + "/memberships?limit=2", user.key());
        Http.Response second = api.get("/v1/users/" + user.id() + "/memberships?limit=2&cursor="
                + first.body().get("next_cursor").asText(), user.key());

        // then: all three, in organisation id order, each once, with the role
        assertThat(first.status()).as(first.raw()).isEqualTo(200);
        assertThat(first.body().get("has_more").asBoolean()).isTrue();
        assertThat(second.body().get("has_more").asBoolean()).isFalse();
        assertThat(second.body().get("next_cursor").isNull()).as("next_cursor present and null").isTrue();
        List<JsonNode> memberships = new ArrayList<>();
        first.body().get("data").forEach(memberships::add);
        second.body().get("data").forEach(memberships::add);
        assertThat(memberships).extracting(m -> m.get("organisation_id").asText())
                .containsExactlyElementsOf(theirs.stream().sorted().toList()).doesNotContain(notTheirs);
        assertThat(memberships).filteredOn(m -> m.get("organisation_id").asText().equals(theirs.get(2))).singleElement()
                .satisfies(auditor -> {
                    assertThat(auditor.get("role").asText()).isEqualTo("auditor");
                    assertThat(auditor.get("created_at").asText()).isNotBlank();
                });
        // and a platform admin may list them too
        assertThat(api.get("/v1/users/" + user.id() + "/memberships", Api.admin()).body().get("data")).hasSize(3);
    }

    @Test
    void aUserMayNotListAnotherUsersMemberships() {
        // given
        Api.User nosy = api.user("nosy");
        Api.User other = api.user("other");
        api.grant(api.organisation(Api.admin(), "GBP").id(), other.id(), "owner");

        // when
        Http.Response refused = api.get("/v1/users/" + other.id() + "/memberships", nosy.key());

        // then
        assertThat(refused.status()).as(refused.raw()).isEqualTo(403);
        assertThat(refused.body().get("error").get("code").asText()).isEqualTo("authorization_error");
    }

    @Test
    void anOwnerListsTheMembersWithTheirRolesAndAViewerOrAnotherOrganisationMayNot() {
        // given: an organisation with an owner, a viewer and a finance user who is then removed
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        Api.User owner = api.user("owner");
        Api.User viewer = api.user("viewer");
        Api.User gone = api.user("gone");
        api.grant(org.id(), owner.id(), "owner");
        api.grant(org.id(), viewer.id(), "viewer");
        api.grant(org.id(), gone.id(), "finance");
        Http.Response removed = Http.delete(api.url("/v1/organisations/" + org.id() + "/memberships/" + gone.id()), owner.key());
        assertThat(removed.status()).as(removed.raw()).isEqualTo(200);
        Api.User foreignOwner = api.user("foreign");
        api.grant(api.organisation(Api.admin(), "GBP").id(), foreignOwner.id(), "owner");

        // when
        Http.Response listed = api.get("/v1/organisations/" + org.id() + "/memberships", owner.key());

        // then: the members now, with names, e-mail addresses and roles (the removed one not among them)
        assertThat(listed.status()).as(listed.raw()).isEqualTo(200);
        assertThat(listed.body().get("has_more").asBoolean()).isFalse();
        String creator = api.get("/v1/users/me", Api.admin()).body().get("data").get("id").asText();
        List<String> roles = new ArrayList<>();
        listed.body().get("data").forEach(m -> roles.add(m.get("user_id").asText() + "=" + m.get("role").asText()));
        roles.remove(creator + "=owner"); // the organisation's creator, if a member
        assertThat(roles).containsExactlyInAnyOrder(owner.id() + "=owner", viewer.id() + "=viewer");
        assertThat(listed.body().get("data")).filteredOn(m -> m.get("user_id").asText().equals(viewer.id())).singleElement()
                .satisfies(member -> {
                    assertThat(member.get("email").asText()).startsWith("viewer-").endsWith("@example.org");
                    assertThat(member.get("name").asText()).isEqualTo("viewer");
                });
        // and neither a viewer nor another organisation's owner sees them
        for (String key : List.of(viewer.key(), foreignOwner.key())) {
            Http.Response refused = api.get("/v1/organisations/" + org.id() + "/memberships", key);
            assertThat(refused.status()).as(refused.raw()).isEqualTo(403);
            assertThat(refused.body().get("error").get("code").asText()).isEqualTo("authorization_error");
        }
    }

    @Test
    void aBadLimitOrCursorIsInvalidRequestNamingIt() {
        // given
        Api.User user = api.user("bad");

        // when / then
        for (String query : List.of("limit=0", "limit=101", "limit=many", "cursor=bm90LWEtY3Vyc29y", "cursor=%25%25",
                "cursor=" + java.util.Base64.getUrlEncoder().encodeToString("after:usr_1".getBytes()))) {
            Http.Response refused = api.get("/v1/users/" + user.id() + "/memberships?" + query, user.key());
            assertThat(refused.status()).as(query + " → " + refused.raw()).isEqualTo(400);
            assertThat(refused.body().get("error").get("param").asText()).isEqualTo(query.substring(0, query.indexOf('=')));
        }
    }

    @Test
    void actingForAUserOpensOnlyTheirMembershipsAndOnlyForReading() throws Exception {
        // given: two users in one organisation
        String org = api.organisation(Api.admin(), "GBP").id();
        Api.User one = api.user("one");
        Api.User two = api.user("two");
        api.grant(org, one.id(), "viewer");
        api.grant(org, two.id(), "viewer");

        try (Connection app = stack.app()) {
            app.setAutoCommit(false);
            // when: the application role acts for the first user, with no organisation's context
            try (PreparedStatement act = app.prepareStatement("SELECT amply_set_user(?)")) {
                act.setString(1, one.id());
                act.executeQuery().close();
            }

            // then: it reads that user's membership, not the other's, and can neither change nor remove it
            assertThat(count(app, "SELECT count(*) FROM memberships WHERE organisation_id = ?", org)).isOne();
            assertThat(update(app, "UPDATE memberships SET role = 'owner' WHERE user_id = ?", one.id())).isZero();
            assertThat(update(app, "DELETE FROM memberships WHERE user_id = ?", one.id())).isZero();
            assertThat(count(app, "SELECT count(*) FROM organisations WHERE id = ?", org)).isZero();
            app.rollback();
        }
    }


    private static long count(Connection connection, String sql, String parameter) throws Exception {
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, parameter);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static int update(Connection connection, String sql, String parameter) throws Exception {
        try (PreparedStatement change = connection.prepareStatement(sql)) {
            change.setString(1, parameter);
            return change.executeUpdate();
        }
    }
}
