package io.amply.local;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a read names must exist, and only an authenticated caller learns whether it does; the public
 * pages may be read from a browser on any site; every read answers JSON whatever it accepts.
 */
class PublicReadsIT {

    private static final List<String> PUBLIC_PAGES = List.of("/funds", "/campaigns", "/projects", "/ledger",
            "/ledger/aggregates", "/checkpoints", "/ledger/verify", "/ledger/export");

    private final TestStack stack = TestStack.get();
    private final Api api = new Api(stack);
    private final String query = stack.apps().queryUrl();

    @Test
    void anOrganisationThatDoesNotExistIsNotFoundOnEveryPublicPageNotAnEmptyOneOrAValidChain() {
        // given: an organisation just created, and ids that name none (a typo, another kind of id)
        Http.Response write = api.post("/v1/organisations", Api.admin(), "{\"name\": \"Public Reads\", \"country\": \"GB\"}");
        String existing = write.body().get("data").get("id").asText();
        long position = write.body().get("meta").get("position").asLong();
        String fund = write.body().get("data").get("funds").get(0).get("id").asText();

        for (String page : PUBLIC_PAGES) {
            // when
            String url = query + "/v1/public/organisations/" + existing + page
                    + (page.startsWith("/ledger/") || page.equals("/checkpoints") ? "" : "?min_position=" + position);
            Http.Response fresh = await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(url, null), r -> r.status() != 409);
            Http.Response typo = Http.get(query + "/v1/public/organisations/org_doesnotexist00" + page, null);
            Http.Response otherKind = Http.get(query + "/v1/public/organisations/" + fund + page, null);

            // then: the new organisation's page answers at once (a read model's, with min_position: once the replica has it)
            assertThat(fresh.status()).as(page + ": " + fresh.raw()).isEqualTo(200);
            for (Http.Response missing : List.of(typo, otherKind)) {
                assertThat(missing.status()).as(page + ": " + missing.raw()).isEqualTo(404);
                assertThat(missing.body().get("error").get("code").asText()).isEqualTo("not_found");
            }
        }
        assertThat(Http.get(query + "/v1/public/organisations/org_doesnotexist00/ledger/verify", null).raw())
                .doesNotContain("\"valid\"");
    }

    @Test
    void aReceiptTellsNotWhetherAnIdIsADonationNotReceivedOrNoDonationAtAll() {
        // given: a donation still pending (its owner row on the replica), and an id Amply never made
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        Http.Response created = api.post("/v1/donations", Api.admin(), """
                {"organisation_id": "%s", "fund_id": "%s", "amount": 500, "currency": "GBP"}""".formatted(org.id(), org.generalFund()));
        String pending = created.body().at("/data/id").asText();
        long position = created.body().at("/meta/position").asLong();
        String unknown = "don_" + "0".repeat(16);

        // when
        Http.Response forPending = await().atMost(Duration.ofSeconds(30))
                .until(() -> Http.get(query + "/v1/public/donations/" + pending + "?min_position=" + position, null),
                        r -> r.status() != 409);
        Http.Response forUnknown = Http.get(query + "/v1/public/donations/" + unknown, null);

        // then: the same answer, but for the id
        assertThat(forPending.status()).as(forPending.raw()).isEqualTo(404);
        assertThat(forUnknown.status()).as(forUnknown.raw()).isEqualTo(404);
        assertThat(forPending.body().at("/error/message").asText())
                .isEqualTo(forUnknown.body().at("/error/message").asText().replace(unknown, pending));
    }

    @Test
    void membersReadsOfAnOrganisationThatDoesNotExistAreNotFoundForStaffAndRefusedForOthers() {
        // given: a user with a role in an organisation of their own
        Api.Organisation theirs = api.organisation(Api.admin(), "EUR");
        String member = member(theirs.id());

        for (String read : List.of("/funds", "/transactions", "/ledger", "/campaigns", "/ledger/export")) {
            // when
            Http.Response staff = Http.get(query + "/v1/organisations/org_doesnotexist00" + read, Api.admin());
            Http.Response other = Http.get(query + "/v1/organisations/org_doesnotexist00" + read, member);

            // then: platform staff learn it does not exist; a member of another organisation learns nothing
            assertThat(staff.status()).as(read + ": " + staff.raw()).isEqualTo(404);
            assertThat(other.status()).as(read + ": " + other.raw()).isEqualTo(403);
            assertThat(other.body().get("error").get("code").asText()).isEqualTo("authorization_error");
        }
        assertThat(Http.get(query + "/v1/organisations/" + theirs.id() + "/funds", member).status()).isEqualTo(200);
        // an id of another kind names no organisation, for anyone with a credential
        assertThat(Http.get(query + "/v1/organisations/" + theirs.generalFund() + "/ledger", member).status()).isEqualTo(404);
        assertThat(Http.get(query + "/v1/organisations/" + theirs.generalFund() + "/ledger", null).status()).isEqualTo(401);
    }

    @Test
    void aFundIsLookedUpOnlyForAnAuthenticatedCaller() {
        // given
        Api.Organisation org = api.organisation(Api.admin(), "EUR");

        for (String path : List.of("/v1/funds/" + org.generalFund(), "/v1/funds/fund_doesnotexist0",
                "/v1/funds/" + org.generalFund() + "/transactions", "/v1/funds/fund_doesnotexist0/transactions")) {
            // when: no credential, or one nobody issued
            Http.Response none = Http.get(query + path, null);
            Http.Response madeUp = Http.get(query + path, "sk_live_madeup" + System.nanoTime());

            // then: the same answer whether the fund exists or not
            assertThat(none.status()).as(path).isEqualTo(401);
            assertThat(madeUp.status()).as(path).isEqualTo(401);
            assertThat(madeUp.body().get("error").get("code").asText()).isEqualTo("authentication_error");
        }
        assertThat(Http.get(query + "/v1/funds/fund_doesnotexist0", Api.admin()).status()).isEqualTo(404);
        assertThat(await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(query + "/v1/funds/" + org.generalFund(), Api.admin()),
                r -> r.status() != 404).status()).isEqualTo(200); // once the replica has it
    }

    @Test
    void thePublicPagesMayBeReadFromABrowserOnAnySiteAndMembersReadsMayNot() {
        // given
        Api.Organisation org = api.organisation(Api.admin(), "EUR");
        String page = query + "/v1/public/organisations/" + org.id() + "/funds";
        Map<String, String> browser = Map.of("Origin", "https://a-charity.example");

        // when
        Http.Response preflight = Http.request("OPTIONS", page, null,
                Map.of("Origin", "https://a-charity.example", "Access-Control-Request-Method", "GET"));
        Http.Response read = Http.request("GET", page, null, browser);
        Http.Response members = Http.request("GET", query + "/v1/organisations/" + org.id() + "/funds", Api.admin(), browser);

        // then
        assertThat(preflight.status()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElseThrow()).contains("GET");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(read.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
        assertThat(read.headers().firstValue("Access-Control-Expose-Headers").orElseThrow())
                .contains("X-Request-Id", "X-RateLimit-Remaining", "Retry-After");
        assertThat(members.status()).isEqualTo(200);
        assertThat(members.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void aReadThatAcceptsSomethingElseIsAnsweredInJsonNotAsAServerError() {
        // given
        Api.Organisation org = api.organisation(Api.admin(), "EUR");

        for (String accept : List.of("text/plain", "application/xml", "text/html")) {
            // when
            Http.Response found = await().atMost(Duration.ofSeconds(30)).until(() -> Http.request("GET",
                    query + "/v1/public/organisations/" + org.id() + "/funds", null, Map.of("Accept", accept)),
                    r -> r.status() != 200 || !r.body().get("data").isEmpty()); // once the replica has the fund
            Http.Response missing = Http.request("GET", query + "/v1/public/organisations/org_doesnotexist00/funds", null,
                    Map.of("Accept", accept));

            // then
            assertThat(found.status()).as(accept + ": " + found.raw()).isEqualTo(200);
            assertThat(found.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
            assertThat(found.body().get("data").get(0).get("id").asText()).isEqualTo(org.generalFund());
            assertThat(missing.status()).as(accept).isEqualTo(404);
            assertThat(missing.body().get("error").get("code").asText()).isEqualTo("not_found");
        }
    }

    private String member(String organisationId) {
        String user = api.ok("/v1/users", Api.admin(), "{\"email\": \"reader-" + System.nanoTime() + "@example.org\", \"name\": \"R\"}")
                .get("id").asText();
        String key = api.ok("/v1/users/" + user + "/api-keys", Api.admin(), "{}").get("api_key").asText();
        api.ok("/v1/organisations/" + organisationId + "/memberships", Api.admin(),
                "{\"user_id\": \"" + user + "\", \"role\": \"auditor\"}");
        return key;
    }
}
