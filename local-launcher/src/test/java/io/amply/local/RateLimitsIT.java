package io.amply.local;

import io.amply.command.CommandSideApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API's request limits per caller. The shared stack runs with limits no test reaches (TestStack);
 * here a second command node has a bucket of three requests refilled every 100 s. The query side's
 * filter is the same class over the same {@code RateLimits} (its refusals: {@code RateLimitingTest}).
 */
class RateLimitsIT {

    private static TestStack stack;
    private static Api api;
    private static ConfigurableApplicationContext limited;
    private static String limitedUrl;

    @BeforeAll
    static void startALimitedNode() {
        stack = TestStack.get();
        api = new Api(stack);
        int port = TestStack.freePort();
        limited = CommandSideApplication.application().registerShutdownHook(false)
                .run(AmplyLocal.concat(AmplyLocal.sideArguments(port, TestStack.freePort(), stack.postgres, stack.kafka,
                        TestStack.SECRETS), new String[]{"--amply.api.rate-limit.per-second=0.01", "--amply.api.rate-limit.burst=3"}));
        limitedUrl = "http://localhost:" + port;
    }

    @AfterAll
    static void stopTheLimitedNode() {
        limited.close();
    }

    @Test
    void aKeyBeyondItsBurstIsRefusedWithRetryAfterAndNothingIsWrittenWhileOtherKeysGoOn() throws Exception {
        // given: a key of its own, which has sent three requests (one of them an organisation's creation)
        String key = newKey();
        String name = "Rate limited " + System.nanoTime();
        String idempotencyKey = "rate-" + System.nanoTime();
        assertThat(Http.get(limitedUrl + "/v1/users/me", key).status()).isEqualTo(200);
        Http.Response first = Http.post(limitedUrl + "/v1/organisations", key, organisation(name + " a"));
        assertThat(first.status()).as(first.raw()).isEqualTo(201);
        assertThat(Http.get(limitedUrl + "/v1/users/me", key).headers().firstValue("X-RateLimit-Remaining")).hasValue("0");

        // when: the fourth, with an Idempotency-Key
        Http.Response refused = Http.post(limitedUrl + "/v1/organisations", key, organisation(name + " b"),
                Map.of("Idempotency-Key", idempotencyKey));

        // then: 429 in the API's error format, with how long to wait; the organisation was not created
        assertThat(refused.status()).as(refused.raw()).isEqualTo(429);
        assertThat(refused.body().get("error").get("code").asText()).isEqualTo("rate_limit_exceeded");
        // (100 s for one request at 0.01/s, less the time since the bucket began to refill)
        assertThat(refused.headers().firstValue("Retry-After").map(Integer::parseInt)).hasValueSatisfying(
                seconds -> assertThat(seconds).isBetween(50, 100));
        assertThat(refused.headers().firstValue("X-Request-Id")).hasValueSatisfying(id -> assertThat(id).startsWith("req_"));
        assertThat(refused.raw()).doesNotContain("Exception");
        assertThat(api.count("SELECT count(*) FROM organisations WHERE name = ?", name + " b")).isZero();
        // and its Idempotency-Key was not claimed: the same request to a node with room records it
        Http.Response elsewhere = Http.post(stack.apps().commandUrl() + "/v1/organisations", key, organisation(name + " b"),
                Map.of("Idempotency-Key", idempotencyKey));
        assertThat(elsewhere.status()).as(elsewhere.raw()).isEqualTo(201);
        // and another key, and a request without one, have buckets of their own
        assertThat(Http.get(limitedUrl + "/v1/users/me", newKey()).status()).isEqualTo(200);
        assertThat(Http.get(limitedUrl + "/v1/users/me", null).status()).isEqualTo(401);
    }

    @Test
    void stripesWebhooksAreNotLimited() {
        // when: more deliveries than a bucket holds, from one address, badly signed
        for (int i = 0; i < 5; i++) {
            Http.Response delivered = Http.post(limitedUrl + "/v1/webhooks/stripe", null, "{\"id\": \"evt_rate\"}",
                    Map.of("Stripe-Signature", "t=1,v1=00"));

            // then: each one is checked (and refused for its signature), none for the limit
            assertThat(delivered.status()).as(delivered.raw()).isEqualTo(400);
            assertThat(delivered.headers().firstValue("X-RateLimit-Limit")).isEmpty();
        }
    }

    @Test
    void theSharedStacksServicesBothCountRequests() {
        // when
        Http.Response command = Http.get(stack.apps().commandUrl() + "/v1/users/me", Api.admin());
        Http.Response query = Http.get(stack.apps().queryUrl() + "/v1/public/keys", null);

        // then
        assertThat(command.headers().firstValue("X-RateLimit-Limit")).hasValue(TestStack.RATE_LIMIT_BURST);
        assertThat(query.headers().firstValue("X-RateLimit-Limit")).hasValue(TestStack.RATE_LIMIT_BURST);
    }

    private static String newKey() {
        String user = api.ok("/v1/users", Api.admin(), "{\"email\": \"rate-" + System.nanoTime() + "@example.org\", \"name\": \"R\"}")
                .get("id").asText();
        return api.ok("/v1/users/" + user + "/api-keys", Api.admin(), "{}").get("api_key").asText();
    }

    private static String organisation(String name) {
        return "{\"name\": \"" + name + "\", \"country\": \"GB\", \"currency\": \"GBP\"}";
    }
}
