package io.amply.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small JSON-over-HTTP client for the tests, as a frontend would call the API. */
final class Http {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Response(int status, JsonNode body, String raw, java.net.http.HttpHeaders headers) {
        Response(int status, JsonNode body) {
            this(status, body, null, null);
        }
    }

    private Http() {
    }

    static Response post(String url, String apiKey, String body) {
        return post(url, apiKey, body, java.util.Map.of());
    }

    static Response post(String url, String apiKey, String body, java.util.Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        headers.forEach(request::header);
        return send(request.build());
    }

    /** Sends the body in chunks, its length not declared (as a stream is sent). */
    static Response postChunked(String url, String apiKey, byte[] body, java.util.Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + apiKey)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body)));
        headers.forEach(request::header);
        return send(request.build());
    }

    static Response patch(String url, String apiKey, String body) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + apiKey).method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static Response delete(String url, String apiKey) {
        return send(HttpRequest.newBuilder(URI.create(url)).DELETE().header("Authorization", "Bearer " + apiKey).build());
    }

    static Response get(String url, String apiKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        return send(request.build());
    }

    /** Any method without a body, with headers (a browser's preflight, an Accept of its own). */
    static Response request(String method, String url, String apiKey, java.util.Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).method(method, HttpRequest.BodyPublishers.noBody());
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        headers.forEach(request::header);
        return send(request.build());
    }

    /** A GET whose answer is not JSON (Prometheus's metrics, say): its body as text. */
    static String text(String url) {
        try {
            return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isEmpty() ? null : JSON.readTree(response.body());
            DocumentedAnswers.check(request, response.statusCode(), body, CLIENT);
            return new Response(response.statusCode(), body, response.body(), response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
