package io.amply.command.stripe;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Stripe's webhook signature: {@code Stripe-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>…]},
 * where v1 is HMAC-SHA256(secret, "t.payload"). Several v1 values appear while a secret is
 * being rolled; one match is enough. A timestamp further than the tolerance from now is refused,
 * so a captured delivery cannot be replayed later.
 */
final class StripeSignature {

    static final Duration TOLERANCE = Duration.ofMinutes(5);

    private StripeSignature() {
    }

    /** Returns null when the signature holds, or why it does not. */
    static String problem(String header, byte[] payload, String secret, Instant now) {
        if (header == null || header.isBlank()) {
            return "the Stripe-Signature header is missing";
        }
        Long timestamp = null;
        List<String> signatures = new ArrayList<>();
        for (String part : header.split(",")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length != 2) {
                continue;
            }
            if (kv[0].equals("t")) {
                try {
                    timestamp = Long.parseLong(kv[1]);
                } catch (NumberFormatException e) {
                    return "the Stripe-Signature timestamp is not a number";
                }
            } else if (kv[0].equals("v1")) {
                signatures.add(kv[1]);
            }
        }
        if (timestamp == null || signatures.isEmpty()) {
            return "the Stripe-Signature header needs t= and at least one v1=";
        }
        // compared as numbers: a timestamp beyond what an Instant holds is just as stale
        long tolerance = TOLERANCE.toSeconds();
        if (timestamp < now.getEpochSecond() - tolerance || timestamp > now.getEpochSecond() + tolerance) {
            return "the Stripe-Signature timestamp is outside the 5-minute tolerance";
        }
        byte[] expected = sign(secret, timestamp, payload).getBytes(StandardCharsets.US_ASCII);
        for (String signature : signatures) {
            if (MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII))) {
                return null;
            }
        }
        return "no v1 signature matches the payload";
    }

    static String sign(String secret, long timestamp, byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal(payload));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
