package io.amply.command.stripe;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class StripeSignatureTest {

    private static final String SECRET = "whsec_test";
    private static final byte[] PAYLOAD = "{\"id\": \"evt_1\"}".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

    private static String header(long t) {
        return "t=" + t + ",v1=" + StripeSignature.sign(SECRET, t, PAYLOAD);
    }

    @Test
    void aSignatureWithinFiveMinutesEitherWayHolds() {
        assertThat(StripeSignature.problem(header(NOW.getEpochSecond() - 300), PAYLOAD, SECRET, NOW)).isNull();
        assertThat(StripeSignature.problem(header(NOW.getEpochSecond() + 300), PAYLOAD, SECRET, NOW)).isNull();
    }

    @Test
    void aTimestampOutsideTheToleranceIsRefusedWithItsReason() {
        assertThat(StripeSignature.problem(header(NOW.getEpochSecond() - 301), PAYLOAD, SECRET, NOW))
                .isEqualTo("the Stripe-Signature timestamp is outside the 5-minute tolerance");
    }

    @Test
    void aTimestampNoInstantCanHoldIsRefusedAsStaleNotAFailureOfOurs() {
        // (Instant.ofEpochSecond(Long.MAX_VALUE) throws: it used to answer 500)
        assertThat(StripeSignature.problem(header(Long.MAX_VALUE), PAYLOAD, SECRET, NOW))
                .isEqualTo("the Stripe-Signature timestamp is outside the 5-minute tolerance");
        assertThat(StripeSignature.problem(header(Long.MIN_VALUE), PAYLOAD, SECRET, NOW))
                .isEqualTo("the Stripe-Signature timestamp is outside the 5-minute tolerance");
    }
}
