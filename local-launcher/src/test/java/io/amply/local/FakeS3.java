package io.amply.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.amply.query.checkpoint.SigV4;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One S3 bucket in memory, path style ({@code PUT|GET /<bucket>/<key>}), for the tests. A PUT is
 * stored only when its SigV4 Authorization verifies: the signature is computed again from the
 * method, path, signed headers and body as received, with the bucket's secret, as S3 would.
 * Reads are anonymous, as from Amply's public bucket. {@link #unavailable} makes it answer 503.
 */
final class FakeS3 implements AutoCloseable {

    static final String BUCKET = "amply-public-test";
    static final String REGION = "eu-west-2";
    static final String ACCESS_KEY_ID = "AKIAAMPLYFAKES3TEST";
    static final String SECRET_ACCESS_KEY = "fake/S3+secret/for-the-integration-tests";

    private static final Pattern AUTHORIZATION = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=([^/,]+)/(\\d{8})/([^/,]+)/([^/,]+)/aws4_request,\\s*"
                    + "SignedHeaders=([a-z0-9;-]+),\\s*Signature=([0-9a-f]{64})");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final Duration SKEW = Duration.ofMinutes(15);

    record StoredObject(byte[] content, String contentType) {
    }

    private final HttpServer server;
    private final Map<String, StoredObject> objects = new ConcurrentHashMap<>();
    private final List<String> rejections = new CopyOnWriteArrayList<>();
    private final AtomicInteger unavailableAnswers = new AtomicInteger();
    private volatile boolean unavailable;

    private FakeS3(HttpServer server) {
        this.server = server;
    }

    /** On a free port of the loopback interface. */
    static FakeS3 start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            FakeS3 s3 = new FakeS3(server);
            server.createContext("/", s3::handle);
            server.start(); // one request at a time, on the server's own thread: enough for one publisher
            return s3;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String endpoint() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
    }

    /** The query side's arguments that make this bucket an export target. */
    String[] arguments() {
        return new String[]{
                "--amply.checkpoints.s3.endpoint=" + endpoint(),
                "--amply.checkpoints.s3.bucket=" + BUCKET,
                "--amply.checkpoints.s3.region=" + REGION,
                "--amply.checkpoints.s3.access-key-id=" + ACCESS_KEY_ID,
                "--amply.checkpoints.s3.secret-access-key=" + SECRET_ACCESS_KEY,
                "--amply.checkpoints.s3.timeout=PT5S",
        };
    }

    /** While true, every PUT is answered 503 SlowDown-style (ServiceUnavailable) and nothing is stored. */
    void unavailable(boolean unavailable) {
        this.unavailable = unavailable;
    }

    /** How many PUTs were answered 503 so far. */
    int unavailableAnswers() {
        return unavailableAnswers.get();
    }

    /** Every PUT refused for its signature, date or body hash: "<code> <path>". */
    List<String> rejections() {
        return List.copyOf(rejections);
    }

    Optional<StoredObject> object(String key) {
        return Optional.ofNullable(objects.get(key));
    }

    Set<String> keys() {
        return Set.copyOf(objects.keySet());
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            // decoded, so that a key is what the client meant whatever its encoding
            String path = exchange.getRequestURI().getPath();
            String prefix = "/" + BUCKET + "/";
            if (!path.startsWith(prefix)) {
                error(exchange, 404, "NoSuchBucket", "path style only: /" + BUCKET + "/<key>");
                return;
            }
            String key = path.substring(prefix.length());
            if (key.isEmpty()) {
                error(exchange, 501, "NotImplemented", "objects only, no bucket operations");
                return;
            }
            switch (exchange.getRequestMethod()) {
                case "PUT" -> put(exchange, key);
                case "GET" -> get(exchange, key);
                default -> error(exchange, 405, "MethodNotAllowed", "only PUT and GET");
            }
        }
    }

    private void put(HttpExchange exchange, String key) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        if (unavailable) {
            unavailableAnswers.incrementAndGet();
            error(exchange, 503, "ServiceUnavailable", "Please reduce your request rate.");
            return;
        }
        String problem = authenticate(exchange, body);
        if (problem != null) {
            String code = problem.substring(0, problem.indexOf(' '));
            rejections.add(code + " " + exchange.getRequestURI().getRawPath());
            error(exchange, code.equals("XAmzContentSHA256Mismatch") ? 400 : 403, code, problem.substring(code.length() + 1));
            return;
        }
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        objects.put(key, new StoredObject(body, contentType == null ? "binary/octet-stream" : contentType));
        exchange.getResponseHeaders().set("ETag", "\"" + SigV4.sha256Hex(body).substring(0, 32) + "\"");
        exchange.sendResponseHeaders(200, -1);
    }

    /** Null when the request is signed with the bucket's key; otherwise "<S3 error code> <message>". */
    private String authenticate(HttpExchange exchange, byte[] body) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null) {
            return "AccessDenied Anonymous users cannot write";
        }
        Matcher auth = AUTHORIZATION.matcher(authorization);
        if (!auth.matches()) {
            return "AuthorizationHeaderMalformed The authorization header is malformed";
        }
        if (!auth.group(1).equals(ACCESS_KEY_ID)) {
            return "InvalidAccessKeyId The AWS Access Key Id you provided does not exist in our records.";
        }
        if (!auth.group(3).equals(REGION) || !auth.group(4).equals("s3")) {
            return "AuthorizationHeaderMalformed the region '" + auth.group(3) + "' is wrong; expecting '" + REGION + "'";
        }
        List<String> signedHeaders = List.of(auth.group(5).split(";"));
        if (!signedHeaders.containsAll(List.of("host", "x-amz-content-sha256", "x-amz-date"))) {
            return "AccessDenied host, x-amz-content-sha256 and x-amz-date must be signed";
        }
        String amzDate = exchange.getRequestHeaders().getFirst("x-amz-date");
        Instant at;
        try {
            at = LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (RuntimeException e) {
            return "AccessDenied x-amz-date is missing or malformed";
        }
        if (Duration.between(at, Instant.now()).abs().compareTo(SKEW) > 0 || !amzDate.startsWith(auth.group(2))) {
            return "RequestTimeTooSkewed The difference between the request time and the current time is too large.";
        }
        String payloadHash = exchange.getRequestHeaders().getFirst("x-amz-content-sha256");
        if (payloadHash == null || !payloadHash.equals(SigV4.sha256Hex(body))) {
            return "XAmzContentSHA256Mismatch The provided 'x-amz-content-sha256' header does not match what was computed.";
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : signedHeaders) {
            List<String> values = exchange.getRequestHeaders().get(name);
            if (values == null) {
                return "AccessDenied signed header " + name + " is missing";
            }
            headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values));
        }
        String canonicalUri = SigV4.encodePath(exchange.getRequestURI().getPath());
        String canonicalQuery = exchange.getRequestURI().getRawQuery() == null ? "" : exchange.getRequestURI().getRawQuery();
        SigV4.Signature expected = SigV4.sign(exchange.getRequestMethod(), canonicalUri, canonicalQuery, headers, payloadHash,
                REGION, "s3", new SigV4.Credentials(ACCESS_KEY_ID, SECRET_ACCESS_KEY));
        if (!MessageDigest.isEqual(expected.signature().getBytes(StandardCharsets.US_ASCII),
                auth.group(6).getBytes(StandardCharsets.US_ASCII))) {
            return "SignatureDoesNotMatch The request signature we calculated does not match the signature you provided.";
        }
        return null;
    }

    private void get(HttpExchange exchange, String key) throws IOException {
        StoredObject object = objects.get(key);
        if (object == null) {
            error(exchange, 404, "NoSuchKey", "The specified key does not exist.");
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", object.contentType());
        exchange.sendResponseHeaders(200, object.content().length == 0 ? -1 : object.content().length);
        exchange.getResponseBody().write(object.content());
    }

    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        byte[] xml = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>" + message
                + "</Message><RequestId>fake-s3</RequestId></Error>").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/xml");
        exchange.sendResponseHeaders(status, xml.length);
        exchange.getResponseBody().write(xml);
    }
}
