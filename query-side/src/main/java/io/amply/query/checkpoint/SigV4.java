package io.amply.query.checkpoint;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * AWS Signature Version 4 ({@code AWS4-HMAC-SHA256}) for a request whose payload is sent in a
 * single chunk, signed in the Authorization header. {@link #sign} is a pure function of its
 * inputs, so it can be checked against AWS's published examples, and a test double of S3 can
 * verify a request by signing it again. Public only for that double (io.amply.local.FakeS3).
 */
public final class SigV4 {

    public static final String ALGORITHM = "AWS4-HMAC-SHA256";
    /** The hex SHA-256 of an empty payload. */
    public static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final HexFormat HEX = HexFormat.of();

    private SigV4() {
    }

    /** An access key; the secret never appears in {@link #toString()}, so it cannot reach a log by accident. */
    public record Credentials(String accessKeyId, String secretAccessKey) {
        public Credentials {
            Objects.requireNonNull(accessKeyId, "accessKeyId");
            Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        }

        @Override
        public String toString() {
            return "Credentials[accessKeyId=" + accessKeyId + ", secretAccessKey=****]";
        }
    }

    /** Every intermediate result, so that a failing comparison shows where two signers part. */
    public record Signature(String canonicalRequest, String stringToSign, String signedHeaders, String signature,
                            String authorization) {
    }

    /**
     * Signs a request.
     *
     * @param method         the HTTP method, e.g. {@code PUT}
     * @param canonicalUri   the path exactly as sent, already URI-encoded (see {@link #encodePath})
     * @param canonicalQuery the canonical query string (sorted, encoded), {@code ""} when there is none
     * @param headers        every header to sign, by name (any case); must include {@code host} and
     *                       {@code x-amz-date} (the request time, {@code yyyyMMdd'T'HHmmss'Z'})
     * @param payloadSha256  the hex SHA-256 of the body (the value of {@code x-amz-content-sha256})
     */
    public static Signature sign(String method, String canonicalUri, String canonicalQuery, Map<String, String> headers,
                                 String payloadSha256, String region, String service, Credentials credentials) {
        Map<String, String> canonical = new TreeMap<>();
        headers.forEach((name, value) -> canonical.put(name.toLowerCase(Locale.ROOT), canonicalValue(value)));
        String amzDate = canonical.get("x-amz-date");
        if (amzDate == null || amzDate.length() < 8 || !canonical.containsKey("host")) {
            throw new IllegalArgumentException("the signed headers must include host and x-amz-date");
        }
        String signedHeaders = String.join(";", canonical.keySet());
        String canonicalRequest = method + "\n"
                + canonicalUri + "\n"
                + canonicalQuery + "\n"
                + canonical.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue() + "\n").collect(Collectors.joining())
                + "\n"
                + signedHeaders + "\n"
                + payloadSha256;
        String date = amzDate.substring(0, 8);
        String scope = date + "/" + region + "/" + service + "/aws4_request";
        String stringToSign = ALGORITHM + "\n" + amzDate + "\n" + scope + "\n" + sha256Hex(utf8(canonicalRequest));
        byte[] key = hmac(utf8("AWS4" + credentials.secretAccessKey()), date);
        key = hmac(key, region);
        key = hmac(key, service);
        key = hmac(key, "aws4_request");
        String signature = HEX.formatHex(hmac(key, stringToSign));
        // no spaces after the commas, as in AWS's own examples (S3 accepts both)
        String authorization = ALGORITHM + " Credential=" + credentials.accessKeyId() + "/" + scope
                + ",SignedHeaders=" + signedHeaders + ",Signature=" + signature;
        return new Signature(canonicalRequest, stringToSign, signedHeaders, signature, authorization);
    }

    /** The {@code x-amz-date} form of an instant. */
    public static String amzDate(Instant at) {
        return AMZ_DATE.format(at);
    }

    /**
     * URI-encodes each segment of a path the way SigV4 wants it for S3: unreserved characters
     * ({@code A-Z a-z 0-9 - . _ ~}) kept, every other byte of the UTF-8 form as {@code %XX}
     * (upper case), the {@code /} between segments kept. Encoded once: S3 does not double-encode.
     */
    public static String encodePath(String path) {
        StringBuilder out = new StringBuilder(path.length() + 16);
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c == '/' || unreserved(c)) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    public static String sha256Hex(byte[] content) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static boolean unreserved(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    /** Leading and trailing spaces trimmed, runs of spaces inside made one (the SigV4 rule). */
    private static String canonicalValue(String value) {
        return value.strip().replaceAll(" +", " ");
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(utf8(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
