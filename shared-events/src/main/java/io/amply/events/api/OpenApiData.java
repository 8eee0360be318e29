package io.amply.events.api;

import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.BooleanSchema;
import io.swagger.v3.oas.models.media.ComposedSchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The members of {@code data} in both services' OpenAPI documents. The controllers answer maps, so
 * springdoc sees only the envelope; each controller method names the record that describes its
 * {@code data} with {@link ApiData}, and this puts that record's schema into the success answers of
 * its operation, inside the envelope (the integration tests hold every answer to it).
 */
public final class OpenApiData {

    /** The envelope's {@code meta} schema's name. */
    public static final String META = "Meta";

    private OpenApiData() {
    }

    /**
     * Describes every documented operation found in {@code byOperation}, keyed {@code "GET /v1/funds/{fundId}"} (the
     * method and the path as the document spells them): its success answers ({@code 2xx}, {@code application/json})
     * become the envelope around the record's schema, each record resolved once.
     */
    public static void describeAll(OpenAPI openApi, Map<String, ApiData> byOperation) {
        if (openApi.getPaths() == null) {
            return;
        }
        Components components = openApi.getComponents() == null ? new Components() : openApi.getComponents();
        openApi.setComponents(components);
        components.addSchemas(META, meta());
        Map<Class<?>, String> names = new HashMap<>();
        openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            ApiData data = byOperation.get(method.name() + " " + path);
            if (data != null && operation.getResponses() != null) {
                Schema<?> envelope = envelope(names.computeIfAbsent(data.value(), type -> register(components, type)), data.list());
                operation.getResponses().forEach((status, response) -> {
                    if (status.startsWith("2")) {
                        Content content = response.getContent() == null ? new Content() : response.getContent();
                        response.setContent(content.addMediaType("application/json", new MediaType().schema(envelope)));
                    }
                });
            }
        }));
    }

    /** Adds the record's schema and those it refers to (unless already there); returns the record's schema's name. */
    private static String register(Components components, Class<?> type) {
        ModelConverters.getInstance().readAll(type).forEach((name, schema) -> {
            if (components.getSchemas() == null || !components.getSchemas().containsKey(name)) {
                components.addSchemas(name, schema);
            }
        });
        refineMembers(components, type, new HashSet<>());
        return name(type);
    }

    private static String name(Class<?> type) {
        return ModelConverters.getInstance().read(type).keySet().iterator().next();
    }

    /**
     * For the record and every record it refers to:
     * <ul>
     * <li>every member is {@code required} (the answers always carry it, null where it has no value) unless its
     * {@code @Schema} says {@code requiredMode = NOT_REQUIRED}: a member present only in some answers;</li>
     * <li>a member whose type is another record and which its {@code @Schema} says may be null: swagger-core writes a
     * bare {@code $ref}, dropping {@code nullable} and the description (OpenAPI 3.0 ignores a reference's siblings), so
     * a generated client would take the member for never null. It becomes {@code allOf} that reference,
     * {@code nullable}, with its description: OpenAPI 3.0's way of saying so.</li>
     * </ul>
     */
    @SuppressWarnings("rawtypes")
    private static void refineMembers(Components components, Class<?> type, Set<Class<?>> seen) {
        if (!type.isRecord() || !seen.add(type)) {
            return;
        }
        Schema<?> schema = components.getSchemas().get(name(type));
        for (RecordComponent component : type.getRecordComponents()) {
            Class<?> member = component.getType();
            if (component.getGenericType() instanceof ParameterizedType generic
                    && generic.getActualTypeArguments()[0] instanceof Class<?> element) {
                member = element; // a list's elements
            }
            refineMembers(components, member, seen);
            io.swagger.v3.oas.annotations.media.Schema described =
                    component.getAccessor().getAnnotation(io.swagger.v3.oas.annotations.media.Schema.class);
            Map<String, Schema> properties = schema == null ? null : schema.getProperties();
            if (properties == null) {
                continue;
            }
            String property = properties.containsKey(component.getName()) ? component.getName() : snakeCase(component.getName());
            Schema<?> reference = properties.get(property);
            if (reference == null) {
                // a name this cannot work out would leave the member documented wrongly (never null, say), unnoticed
                throw new IllegalStateException(type.getName() + "." + component.getName() + " is not a member of its schema "
                        + properties.keySet());
            }
            boolean optional = described != null
                    && described.requiredMode() == io.swagger.v3.oas.annotations.media.Schema.RequiredMode.NOT_REQUIRED;
            if (!optional && (schema.getRequired() == null || !schema.getRequired().contains(property))) {
                schema.addRequiredItem(property);
            }
            if (described == null || !described.nullable()) {
                continue;
            }
            if (reference.get$ref() != null) {
                // with `type` beside `nullable`, as OpenAPI 3.0.3 asks for `nullable` to count
                properties.put(property, new ComposedSchema().addAllOfItem(new Schema<>().$ref(reference.get$ref()))
                        .type("object").nullable(true)
                        .description(described.description().isEmpty() ? null : described.description()));
            }
        }
    }

    private static String snakeCase(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static Schema<?> envelope(String name, boolean list) {
        Schema<?> element = new Schema<>().$ref("#/components/schemas/" + name);
        Schema<?> envelope = new ObjectSchema()
                .addProperty("data", list ? new ArraySchema().items(element) : element)
                .addProperty("meta", new Schema<>().$ref("#/components/schemas/" + META));
        List<String> required = new ArrayList<>(List.of("data", "meta"));
        if (list) {
            envelope.addProperty("has_more", new BooleanSchema().description("whether a next page follows"));
            envelope.addProperty("next_cursor", new StringSchema().nullable(true)
                    .description("the next page's `cursor` while `has_more` is true; null on the last page"));
            required.add("has_more");
            required.add("next_cursor");
        }
        envelope.setRequired(required);
        return envelope;
    }

    private static Schema<?> meta() {
        Schema<?> meta = new ObjectSchema()
                .addProperty("request_id", new StringSchema().description("`req_…`, also in `X-Request-Id` and the server's logs"))
                .description("About the answer: its request id always; after a write the event store's `position` it reached "
                        + "(a read's `min_position`); on reads from the replica `served_from`, and with `min_position` "
                        + "how fresh the read model was (`freshness`)");
        meta.setRequired(List.of("request_id"));
        meta.setAdditionalProperties(true);
        return meta;
    }
}
