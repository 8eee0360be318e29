package io.amply.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.amply.events.api.ApiErrorCode;
import io.amply.events.api.OpenApiErrors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Holds every successful JSON answer the tests get from {@code /v1/…} to the OpenAPI document the same
 * service serves: each member of {@code data}, nested objects and list elements included, must be a
 * property of the schema documented for that operation and status, of its type (string, integer, number,
 * boolean, object, list), one of its values where it lists them, of its format where it names one
 * ({@code date-time}, {@code date}, {@code uuid}), a null only where the document says the member may be null, and
 * every member the document says is {@code required} present (the envelope's too: {@code has_more} and
 * {@code next_cursor} on every list). So
 * every integration test also checks that the document describes what the API answers (OpenApiIT checks that every operation has
 * such a schema). An answer that is not as documented fails the request's test.
 */
final class DocumentedAnswers {

    private static final Map<String, JsonNode> DOCUMENTS = new ConcurrentHashMap<>();
    /**
     * A file to which the integration tests' answers that differ from their documents are appended instead of
     * failing their tests: to survey a document change over the whole suite in one run (docs/testing.md).
     */
    private static final String REPORT = System.getenv("AMPLY_DOCUMENTED_ANSWERS_REPORT");

    private DocumentedAnswers() {
    }

    static void check(HttpRequest request, int status, JsonNode body, HttpClient client) {
        URI uri = request.uri();
        boolean answered = status >= 200 && status <= 299 && body != null && body.isObject() && body.has("data");
        // a HEAD answer has no body, whatever its status
        if (!uri.getPath().startsWith("/v1/") || "HEAD".equals(request.method()) || !answered && status < 400) {
            return;
        }
        String base = uri.getScheme() + "://" + uri.getRawAuthority();
        try {
            checkAnswer(DOCUMENTS.computeIfAbsent(base, b -> fetch(client, b + "/v3/api-docs")), request, status, body);
        } catch (AssertionError stale) {
            // the tests start and stop extra nodes, and a later one may have an earlier one's port: ask again
            DOCUMENTS.put(base, fetch(client, base + "/v3/api-docs"));
            try {
                checkAnswer(DOCUMENTS.get(base), request, status, body);
            } catch (AssertionError undocumented) {
                if (REPORT == null) {
                    throw undocumented;
                }
                report(undocumented.getMessage());
            }
        }
    }

    private static synchronized void report(String difference) {
        try {
            java.nio.file.Files.writeString(java.nio.file.Path.of(REPORT), difference + "\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void checkAnswer(JsonNode document, HttpRequest request, int status, JsonNode body) {
        if (status >= 400) {
            checkError(document, request, status, body);
        } else {
            check(document, request, status, body);
        }
    }

    /**
     * Fails unless {@code body}, a refusal answered {@code status} to {@code request}, is the API's error format as
     * {@code document} describes it ({@code {"error": {"code", "message", "param"}}}, nothing else), with the code of
     * that status (503 is {@code server_error}), and the status one the operation documents.
     */
    static void checkError(JsonNode document, HttpRequest request, int status, JsonNode body) {
        URI uri = request.uri();
        String operation = request.method() + " " + uri.getPath();
        List<String> wrong = new ArrayList<>();
        if (body == null || !body.isObject()) {
            throw new AssertionError(operation + " answered " + status + " without the error format: "
                    + (body == null ? "no body" : body));
        }
        conform(document, document.at("/components/schemas/" + OpenApiErrors.ERROR), body, "body", wrong);
        String code = body.path("error").path("code").asText("");
        Integer expected = java.util.Arrays.stream(ApiErrorCode.values()).filter(c -> c.code().equals(code))
                .map(ApiErrorCode::httpStatus).findFirst().orElse(null);
        if (expected != null && expected != status && !(status == 503 && expected == 500)) {
            wrong.add("status " + status + " with code " + code + ", which is " + expected);
        }
        JsonNode documented = operationIfAny(document, request.method(), uri.getPath());
        if (documented != null && !documented.path("responses").has(String.valueOf(status))) {
            wrong.add("status " + status + " not documented for the operation");
        }
        if (!wrong.isEmpty()) {
            throw new AssertionError(operation + " answered " + status + " not as its OpenAPI document says: " + wrong);
        }
    }

    /** Fails unless {@code body}, answered {@code status} to {@code request}, is as {@code document} describes it. */
    static void check(JsonNode document, HttpRequest request, int status, JsonNode body) {
        URI uri = request.uri();
        String operation = request.method() + " " + uri.getPath();
        JsonNode envelope = resolve(document, operation(document, request.method(), uri.getPath())
                .at("/responses/" + status + "/content/application~1json/schema"));
        JsonNode schema = envelope.path("properties").path("data");
        if (schema.isMissingNode()) {
            throw new AssertionError(operation + " answered " + status + " with data its OpenAPI document does not describe");
        }
        List<String> undocumented = new ArrayList<>();
        present(envelope, body, "", undocumented);
        conform(document, schema, body.get("data"), "data", undocumented);
        if (!undocumented.isEmpty()) {
            throw new AssertionError(operation + " answered what its OpenAPI document does not describe: " + undocumented);
        }
    }

    /** {@link #operation}, or null when the document has no operation of that method and path. */
    private static JsonNode operationIfAny(JsonNode document, String method, String path) {
        try {
            JsonNode operation = operation(document, method, path);
            return operation.isMissingNode() ? null : operation;
        } catch (AssertionError none) {
            return null;
        }
    }

    /** The operation whose path template matches, a literal path ({@code /users/me}) before a template ({@code /users/{id}}). */
    private static JsonNode operation(JsonNode document, String method, String path) {
        List<String> matching = new ArrayList<>();
        document.get("paths").fieldNames().forEachRemaining(template -> {
            String regex = Pattern.quote(template).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q");
            if (path.matches(regex)) {
                matching.add(template);
            }
        });
        return matching.stream().min(Comparator.comparingLong(template -> template.chars().filter(c -> c == '{').count()))
                .map(template -> document.get("paths").get(template).path(method.toLowerCase(java.util.Locale.ROOT)))
                .orElseThrow(() -> new AssertionError(method + " " + path + " is not in its service's OpenAPI document"));
    }

    private static void conform(JsonNode document, JsonNode schema, JsonNode value, String where, List<String> undocumented) {
        JsonNode resolved = resolve(document, schema);
        if (value == null) {
            return;
        }
        if (value.isNull()) {
            // a member of a record's type that may be null is documented as allOf that record, nullable
            if (!schema.path("nullable").asBoolean()) {
                undocumented.add(where + " (null, documented as never null)");
            }
            return;
        }
        if (value.isArray()) {
            JsonNode items = resolved.get("items");
            if (items == null) {
                undocumented.add(where + " (a list, documented as " + resolved.path("type").asText("untyped") + ")");
                return;
            }
            for (int i = 0; i < value.size(); i++) {
                conform(document, items, value.get(i), where + "[" + i + "]", undocumented);
            }
            return;
        }
        if (!value.isObject()) {
            String mismatch = scalarMismatch(resolved, value);
            if (mismatch != null) {
                undocumented.add(where + " (" + mismatch + ")");
            }
            return;
        }
        if (resolved.has("type") && !resolved.get("type").asText().equals("object")) {
            undocumented.add(where + " (an object, documented as " + resolved.get("type").asText() + ")");
            return;
        }
        JsonNode properties = resolved.get("properties");
        if (properties == null) {
            JsonNode values = resolved.get("additionalProperties");
            if (values == null) {
                undocumented.add(where + " (an object without documented members)");
            } else if (values.isObject()) { // a map whose keys are data (an amount per currency, say): its values
                for (Iterator<Map.Entry<String, JsonNode>> entries = value.fields(); entries.hasNext(); ) {
                    Map.Entry<String, JsonNode> entry = entries.next();
                    conform(document, values, entry.getValue(), where + "." + entry.getKey(), undocumented);
                }
            }
            return;
        }
        present(resolved, value, where + ".", undocumented);
        for (Iterator<Map.Entry<String, JsonNode>> members = value.fields(); members.hasNext(); ) {
            Map.Entry<String, JsonNode> member = members.next();
            JsonNode property = properties.get(member.getKey());
            if (property == null) {
                undocumented.add(where + "." + member.getKey());
            } else {
                conform(document, property, member.getValue(), where + "." + member.getKey(), undocumented);
            }
        }
    }

    /** Notes every member {@code schema} requires that {@code value} lacks. */
    private static void present(JsonNode schema, JsonNode value, String where, List<String> undocumented) {
        for (JsonNode required : schema.path("required")) {
            if (!value.has(required.asText())) {
                undocumented.add(where + required.asText() + " (absent, documented as always there)");
            }
        }
    }

    /** Why a string, number or boolean is not what its schema documents, or null when it is (or the schema has no type). */
    private static String scalarMismatch(JsonNode schema, JsonNode value) {
        String type = schema.path("type").asText("");
        String actual = value.isTextual() ? "a string" : value.isIntegralNumber() ? "an integer" : value.isNumber() ? "a number"
                : value.isBoolean() ? "a boolean" : "a " + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        boolean typed = switch (type) {
            case "" -> true;
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            default -> false;
        };
        if (!typed) {
            return actual + ", documented as " + type;
        }
        JsonNode allowed = schema.get("enum");
        if (allowed != null && allowed.isArray()) {
            for (JsonNode one : allowed) {
                if (one.equals(value)) {
                    return null;
                }
            }
            return value + ", documented as one of " + allowed;
        }
        if (value.isTextual() && !formatted(schema.path("format").asText(""), value.asText())) {
            return "\"" + value.asText() + "\", documented as " + schema.path("format").asText();
        }
        return null;
    }

    private static boolean formatted(String format, String text) {
        try {
            switch (format) {
                case "date-time" -> java.time.OffsetDateTime.parse(text);
                case "date" -> java.time.LocalDate.parse(text);
                case "uuid" -> java.util.UUID.fromString(text);
                default -> {
                    return true;
                }
            }
            return true;
        } catch (RuntimeException notOfFormat) {
            return false;
        }
    }

    private static JsonNode resolve(JsonNode document, JsonNode schema) {
        JsonNode current = schema;
        while (current.has("$ref")) {
            String ref = current.get("$ref").asText();
            current = document.at("/components/schemas/" + ref.substring(ref.lastIndexOf('/') + 1));
        }
        if (current.has("allOf") && current.get("allOf").size() == 1) {
            return resolve(document, current.get("allOf").get(0));
        }
        return current;
    }

    private static JsonNode fetch(HttpClient client, String url) {
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError(url + " answered " + response.statusCode());
            }
            return Http.JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
