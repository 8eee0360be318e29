package io.amply.query.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimitingTest {

    private final ObjectMapper json = new ObjectMapper();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    /** Two requests at once, one more every 100 s: nothing refills during a test. */
    private final RateLimiting filter = new RateLimiting(true, 0.01, 2, meters, json);
    private final AtomicInteger served = new AtomicInteger();

    @Test
    void aCallerBeyondItsBurstIsAnsweredRateLimitExceededWithRetryAfterAndNotServed() throws Exception {
        // given
        send(publicPage("10.0.0.1"));
        MockHttpServletResponse second = send(publicPage("10.0.0.1"));

        // when
        MockHttpServletResponse third = send(publicPage("10.0.0.1"));

        // then
        assertThat(served).hasValue(2);
        assertThat(second.getStatus()).isEqualTo(200);
        assertThat(second.getHeader("X-RateLimit-Limit")).isEqualTo("2");
        assertThat(second.getHeader("X-RateLimit-Remaining")).isEqualTo("0");
        assertThat(third.getStatus()).isEqualTo(429);
        assertThat(third.getHeader("Retry-After")).isEqualTo("100");
        assertThat(third.getContentType()).isEqualTo("application/json");
        JsonNode error = json.readTree(third.getContentAsByteArray()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("rate_limit_exceeded");
        assertThat(error.get("message").asText()).contains("100 s");
        assertThat(meters.get("amply.api.rate.limited").counter().count()).isEqualTo(1);
    }

    @Test
    void anotherAddressAndACredentialHaveBucketsOfTheirOwn() throws Exception {
        // given
        for (int i = 0; i < 3; i++) {
            send(publicPage("10.0.0.1"));
        }
        MockHttpServletRequest withKey = withKey("10.0.0.1", "sk_reader");

        // when
        MockHttpServletResponse otherAddress = send(publicPage("10.0.0.2"));
        MockHttpServletResponse credential = send(withKey);

        // then
        assertThat(otherAddress.getStatus()).isEqualTo(200);
        assertThat(credential.getStatus()).isEqualTo(200);
    }

    @Test
    void madeUpKeysRunOutWithTheirAddressAndAreThenRefusedBeforeTheirLookUp() throws Exception {
        // given: a burst's worth of keys the service refuses (401), from one address
        send(withKey("10.0.0.5", "sk_madeup_1"));
        send(withKey("10.0.0.5", "sk_madeup_2"));

        // when: another made-up key from there, a real key from elsewhere, and a public read from there
        MockHttpServletResponse madeUp = send(withKey("10.0.0.5", "sk_madeup_3"));
        MockHttpServletResponse real = send(withKey("10.0.0.6", "sk_real"));
        MockHttpServletResponse publicRead = send(publicPage("10.0.0.5"));

        // then: each made-up key had a bucket of its own, but their address ran out of refusals
        assertThat(madeUp.getStatus()).isEqualTo(429);
        assertThat(real.getStatus()).isEqualTo(200);
        assertThat(publicRead.getStatus()).isEqualTo(200);
        assertThat(served).hasValue(4);
    }

    @Test
    void aPublicReadCountsForItsAddressWhateverCredentialItCarries() throws Exception {
        // given: an address's burst of public reads, each with a key of its own (a public read looks none up)
        for (int i = 0; i < 2; i++) {
            MockHttpServletRequest read = publicPage("10.0.0.7");
            read.addHeader("Authorization", "Bearer sk_anything_" + i);
            send(read);
        }

        // when: one more, with yet another key
        MockHttpServletRequest another = publicPage("10.0.0.7");
        another.addHeader("Authorization", "Bearer sk_anything_else");
        MockHttpServletResponse response = send(another);

        // then
        assertThat(response.getStatus()).isEqualTo(429);
        assertThat(served).hasValue(2);
    }

    @Test
    void pathsOutsideTheApiAndADisabledLimitAreNotCounted() throws Exception {
        // given
        RateLimiting disabled = new RateLimiting(false, 0.01, 1, meters, json);

        // when
        for (int i = 0; i < 5; i++) {
            send(new MockHttpServletRequest("GET", "/v3/api-docs"));
            disabled.doFilter(publicPage("10.0.0.9"), new MockHttpServletResponse(), countingChain());
        }
        MockHttpServletResponse sneaked = send(publicPage("10.0.0.1"));
        for (int i = 0; i < 2; i++) {
            send(new MockHttpServletRequest("GET", "/v1;x/public/keys"));
        }

        // then: everything served; "/v1;x/…" is an API path (as Spring routes it) and counted
        assertThat(served).hasValue(13);
        assertThat(sneaked.getHeader("X-RateLimit-Remaining")).isEqualTo("1");
        assertThat(send(publicPage("127.0.0.1")).getStatus()).isEqualTo(429);
    }

    private MockHttpServletRequest publicPage(String address) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/v1/public/organisations/org_1/ledger");
        request.setRemoteAddr(address);
        return request;
    }

    private MockHttpServletRequest withKey(String address, String key) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/v1/organisations/org_1/transactions");
        request.setRemoteAddr(address);
        request.addHeader("Authorization", "Bearer " + key);
        return request;
    }

    private MockHttpServletResponse send(HttpServletRequest request) throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, countingChain());
        return response;
    }

    private MockFilterChain countingChain() {
        return new MockFilterChain() {
            @Override
            public void doFilter(jakarta.servlet.ServletRequest request, jakarta.servlet.ServletResponse response) {
                served.incrementAndGet();
                String authorization = ((HttpServletRequest) request).getHeader("Authorization");
                if (authorization != null && authorization.contains("madeup")) { // as the service answers a key it does not know
                    ((jakarta.servlet.http.HttpServletResponse) response).setStatus(401);
                }
            }
        };
    }
}
