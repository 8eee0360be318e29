package io.amply.events.api;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateLimitsTest {

    private final AtomicLong now = new AtomicLong(5_000_000_000L);
    private final RateLimits limits = new RateLimits(2, 3, now::get);

    @Test
    void aCallerMaySendItsBurstAtOnceAndIsThenToldHowLongToWait() {
        // when
        RateLimits.Decision first = limits.take("a");
        limits.take("a");
        RateLimits.Decision third = limits.take("a");
        RateLimits.Decision fourth = limits.take("a");

        // then
        assertThat(first).isEqualTo(new RateLimits.Decision(true, 2, 0));
        assertThat(third).isEqualTo(new RateLimits.Decision(true, 0, 0));
        assertThat(fourth.allowed()).isFalse();
        assertThat(fourth.retryAfterSeconds()).isEqualTo(1); // half a second at 2/s, rounded up
    }

    @Test
    void theBucketRefillsAtTheRateUpToTheBurst() {
        // given
        for (int i = 0; i < 3; i++) {
            limits.take("a");
        }

        // when
        now.addAndGet(500_000_000L); // one request's worth at 2/s
        RateLimits.Decision afterHalfASecond = limits.take("a");
        RateLimits.Decision again = limits.take("a");
        now.addAndGet(60_000_000_000L);
        RateLimits.Decision afterAMinute = limits.take("a");

        // then
        assertThat(afterHalfASecond.allowed()).isTrue();
        assertThat(again.allowed()).isFalse();
        assertThat(afterAMinute).isEqualTo(new RateLimits.Decision(true, 2, 0)); // never more than the burst
    }

    @Test
    void oneCallersRequestsDoNotCountForAnother() {
        // given
        for (int i = 0; i < 4; i++) {
            limits.take("a");
        }

        // when
        RateLimits.Decision other = limits.take("b");

        // then
        assertThat(limits.take("a").allowed()).isFalse();
        assertThat(other).isEqualTo(new RateLimits.Decision(true, 2, 0));
    }

    @Test
    void aSlowRateTellsTheWholeWait() {
        // given
        RateLimits slow = new RateLimits(0.1, 1, now::get);
        slow.take("a");

        // when
        RateLimits.Decision refused = slow.take("a");

        // then
        assertThat(refused.retryAfterSeconds()).isEqualTo(10);
    }

    @Test
    void bucketsIdleLongEnoughToBeFullAreDroppedAndAnEmptiedOneIsKept() {
        // given
        limits.take("idle");
        for (int i = 0; i < 4; i++) {
            limits.take("busy");
        }

        // when: 1.5 s fills a bucket of 3 at 2/s; the sweep runs on the next request
        now.addAndGet(1_400_000_000L);
        limits.take("busy");
        now.addAndGet(200_000_000L);
        limits.take("other");

        // then
        assertThat(limits.callers()).isEqualTo(2); // "busy" was used 0.2 s ago, "other" now
        assertThat(limits.take("idle")).isEqualTo(new RateLimits.Decision(true, 2, 0)); // a fresh bucket, as if kept
    }

    @Test
    void aCredentialIsItsTokensDigestReadAsTheServicesReadIt() {
        // when
        String key = RateLimits.credentialOf("Bearer sk_secret");
        String spaced = RateLimits.credentialOf("Bearer    sk_secret  "); // the services accept it as the same key

        // then
        assertThat(key).isEqualTo(spaced).startsWith("credential:").doesNotContain("sk_secret");
        assertThat(RateLimits.credentialOf(null)).isNull();
        assertThat(RateLimits.credentialOf("Basic dXNlcjpwdw==")).isNull(); // refused before any look-up: by address
        assertThat(RateLimits.credentialOf("Bearer   ")).isNull();
        assertThat(RateLimits.addressOf("10.0.0.1")).isEqualTo("address:10.0.0.1");
    }

    @Test
    void aCredentialIsAdmittedFromItsOwnBucketUntilItsAddressHasHadABurstOfCredentialsRefused() {
        // given: three made-up keys refused from one address (a burst of 3)
        for (int i = 0; i < 3; i++) {
            limits.credentialRefused("10.0.0.1");
        }

        // when
        RateLimits.Decision keyed = limits.admit("credential:x", "10.0.0.1");
        RateLimits.Decision anonymous = limits.admit(null, "10.0.0.1");
        RateLimits.Decision elsewhere = limits.admit("credential:x", "10.0.0.2");

        // then: the address's refusals hold up its keyed requests, not its public reads, nor the key elsewhere
        assertThat(keyed.allowed()).isFalse();
        assertThat(keyed.retryAfterSeconds()).isEqualTo(1);
        assertThat(anonymous).isEqualTo(new RateLimits.Decision(true, 2, 0));
        assertThat(elsewhere).isEqualTo(new RateLimits.Decision(true, 2, 0));
    }

    @Test
    void peekingTellsWhetherARequestIsLeftAndTakesNone() {
        // given
        limits.take("a");
        limits.take("a");

        // when
        RateLimits.Decision peeked = limits.peek("a");
        RateLimits.Decision again = limits.peek("a");
        limits.take("a");

        // then
        assertThat(peeked).isEqualTo(new RateLimits.Decision(true, 1, 0));
        assertThat(again).isEqualTo(peeked);
        assertThat(limits.peek("a").allowed()).isFalse();
        assertThat(limits.peek("unknown")).isEqualTo(new RateLimits.Decision(true, 3, 0));
    }

    @Test
    void aLimitWithoutRateOrBurstIsRefused() {
        assertThatThrownBy(() -> new RateLimits(0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RateLimits(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
