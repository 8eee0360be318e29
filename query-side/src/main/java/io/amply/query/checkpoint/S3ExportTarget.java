package io.amply.query.checkpoint;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Objects in an S3-compatible bucket (AWS S3, MinIO, Ceph, R2, ...): one PUT Object per key,
 * signed with SigV4. No SDK, only {@link HttpClient}: the service needs nothing else of S3.
 */
final class S3ExportTarget implements ExportTarget {

    private static final Pattern CODE = Pattern.compile("<Code>([^<]{1,200})</Code>");
    private static final Pattern MESSAGE = Pattern.compile("<Message>([^<]{1,500})</Message>");

    /**
     * @param endpoint  scheme, host, optional port (and an optional base path), e.g. {@code https://s3.eu-west-2.amazonaws.com}
     * @param prefix    put before every key as it is, e.g. {@code ledger/}
     * @param pathStyle {@code <endpoint>/<bucket>/<key>} when true, {@code <bucket>.<endpoint host>/<key>} otherwise
     */
    record Settings(URI endpoint, String bucket, String region, String prefix, SigV4.Credentials credentials,
                    boolean pathStyle, Duration timeout) {
        Settings {
            Objects.requireNonNull(endpoint, "endpoint");
            Objects.requireNonNull(credentials, "credentials");
            if (!("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme())) || endpoint.getHost() == null) {
                throw new IllegalArgumentException("the S3 endpoint must be an http(s) URL, not " + endpoint);
            }
        }
    }

    private final Settings settings;
    private final HttpClient http;
    private final Clock clock;

    S3ExportTarget(Settings settings, Clock clock) {
        // HTTP/1.1: S3 speaks nothing else, and no h2c upgrade dance on plain http endpoints
        this(settings, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.timeout()).followRedirects(HttpClient.Redirect.NEVER).build(), clock);
    }

    S3ExportTarget(Settings settings, HttpClient http, Clock clock) {
        this.settings = settings;
        this.http = http;
        this.clock = clock;
    }

    @Override
    public void put(String key, byte[] content, String contentType) throws IOException {
        String host = hostHeader();
        String path = canonicalUri(key);
        String payloadHash = SigV4.sha256Hex(content);
        Map<String, String> signed = new TreeMap<>();
        signed.put("host", host);
        signed.put("content-type", contentType);
        signed.put("x-amz-content-sha256", payloadHash);
        signed.put("x-amz-date", SigV4.amzDate(clock.instant()));
        SigV4.Signature signature = SigV4.sign("PUT", path, "", signed, payloadHash, settings.region(), "s3",
                settings.credentials());
        // Host is set by the client from the URI, exactly as hostHeader() computed it
        HttpRequest request = HttpRequest.newBuilder(URI.create(settings.endpoint().getScheme() + "://" + host + path))
                .timeout(settings.timeout())
                .header("Content-Type", contentType)
                .header("x-amz-content-sha256", payloadHash)
                .header("x-amz-date", signed.get("x-amz-date"))
                .header("Authorization", signature.authorization())
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content))
                .build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while putting " + where(key));
        } catch (IOException e) {
            throw new IOException("S3 PUT " + where(key) + " failed: " + e, e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new IOException("S3 PUT " + where(key) + " refused: " + refusal(response.statusCode(), response.body()));
        }
    }

    /** What the request's Host header will be: the Java client leaves the port out when it is the scheme's default. */
    String hostHeader() {
        URI endpoint = settings.endpoint();
        int port = endpoint.getPort();
        boolean defaultPort = port == -1 || port == ("https".equals(endpoint.getScheme()) ? 443 : 80);
        String host = endpoint.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
        return settings.pathStyle() ? host : settings.bucket() + "." + host;
    }

    /** The encoded path of a key: the endpoint's base path, the bucket (path style), the prefix, the key. */
    String canonicalUri(String key) {
        String base = settings.endpoint().getRawPath() == null ? "" : settings.endpoint().getRawPath();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        String object = settings.prefix() + key;
        return base + SigV4.encodePath(settings.pathStyle() ? "/" + settings.bucket() + "/" + object : "/" + object);
    }

    /** "HTTP 403 SignatureDoesNotMatch (message)", with the code and message of an S3 error body when there is one. */
    static String refusal(int status, byte[] body) {
        String text = body == null ? "" : new String(body, 0, Math.min(body.length, 8192), StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder("HTTP ").append(status);
        Matcher code = CODE.matcher(text);
        if (code.find()) {
            out.append(' ').append(code.group(1).strip());
        }
        Matcher message = MESSAGE.matcher(text);
        if (message.find()) {
            out.append(" (").append(message.group(1).strip()).append(')');
        }
        return out.toString();
    }

    private String where(String key) {
        return "s3://" + settings.bucket() + "/" + settings.prefix() + key;
    }

    @Override
    public String describe() {
        return "S3 bucket " + settings.bucket() + " at " + settings.endpoint()
                + (settings.prefix().isEmpty() ? "" : " under " + settings.prefix());
    }
}
