package io.amply.ledger.hash.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.amply.ledger.hash.Checkpoint;
import io.amply.ledger.hash.JwkSet;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The query side's public endpoints the verifier reads (docs/api.md); none needs credentials. */
final class PublicApi {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** For the small JSON responses only: the export may legitimately take long to stream. */
    private static final Duration JSON_TIMEOUT = Duration.ofSeconds(60);
    private static final int PAGE_SIZE = 100;

    private final String base;
    private final HttpClient client;

    PublicApi(URI base) {
        this.base = base.toString().replaceAll("/+$", "");
        this.client = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /** Every checkpoint of the organisation, following {@code next_cursor} while {@code has_more}. */
    List<Checkpoint> checkpoints(String organisationId) {
        List<Checkpoint> checkpoints = new ArrayList<>();
        Set<String> cursors = new HashSet<>();
        String cursor = null;
        while (true) {
            String url = organisationUrl(organisationId) + "/checkpoints?limit=" + PAGE_SIZE
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            JsonNode page = getJson(url);
            if (!page.isObject() || !page.path("data").isArray()) {
                throw new InputError("GET " + url + " did not return a list ({\"data\": [...]})");
            }
            checkpoints.addAll(JsonInput.checkpointsIn(page, "GET " + url));
            if (!page.path("has_more").asBoolean(false)) {
                return checkpoints;
            }
            cursor = page.path("next_cursor").textValue();
            // A cursor seen before would loop for ever; a server that does that is broken.
            if (cursor == null || !cursors.add(cursor)) {
                throw new InputError("GET " + url + " says has_more but gives no new next_cursor");
            }
        }
    }

    JwkSet keys() {
        String url = base + "/v1/public/keys";
        return JsonInput.jwks(getJson(url), "GET " + url);
    }

    /** Starts the export download; the body is read as it arrives. */
    Download export(String organisationId) {
        String url = organisationUrl(organisationId) + "/ledger/export";
        HttpResponse<InputStream> response = send(url, null, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            String body;
            try (InputStream in = response.body()) {
                body = new String(in.readNBytes(500), StandardCharsets.UTF_8);
            } catch (IOException e) {
                body = "";
            }
            throw new InputError(failure(url, response.statusCode(), body));
        }
        long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        return new Download(url, response.body(), length);
    }

    /** An export being downloaded; {@code length} is -1 when the server does not say. */
    record Download(String url, InputStream body, long length) implements Closeable {
        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    private JsonNode getJson(String url) {
        HttpResponse<String> response = send(url, JSON_TIMEOUT, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() != 200) {
            throw new InputError(failure(url, response.statusCode(), response.body()));
        }
        try {
            return JsonInput.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new InputError("GET " + url + " returned malformed JSON: " + e.getMessage(), e);
        }
    }

    private <T> HttpResponse<T> send(String url, Duration timeout, HttpResponse.BodyHandler<T> handler) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET()
                .header("User-Agent", "amply-verify-ledger");
        if (timeout != null) {
            request.timeout(timeout);
        }
        try {
            return client.send(request.build(), handler);
        } catch (ConnectException e) {
            throw new InputError("could not GET " + url + ": cannot connect to the server", e);
        } catch (IOException e) {
            throw new InputError("could not GET " + url + ": " + (e.getMessage() != null ? e.getMessage() : e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InputError("interrupted while downloading " + url, e);
        }
    }

    private String organisationUrl(String organisationId) {
        // URLEncoder encodes for forms; a path segment wants %20 rather than +.
        return base + "/v1/public/organisations/"
                + URLEncoder.encode(organisationId, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String failure(String url, int status, String body) {
        String detail = body == null ? "" : body.strip().replaceAll("\\s+", " ");
        if (detail.length() > 300) {
            detail = detail.substring(0, 300) + "...";
        }
        return "GET " + url + " returned HTTP " + status + (detail.isEmpty() ? "" : ": " + detail);
    }
}
