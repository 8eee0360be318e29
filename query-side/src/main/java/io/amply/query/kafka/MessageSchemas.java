package io.amply.query.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.amply.events.OrganisationScoped;
import org.axonframework.serialization.Revision;

import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON Schema (draft 2020-12) of each Kafka message body, derived from the event records in
 * shared-events. The checked-in copies under docs/schemas are what consumers read; a test fails
 * when an event record no longer matches its schema. Regenerate after a deliberate change:
 * {@code java -cp <query-side classpath> io.amply.query.kafka.MessageSchemas docs/schemas}.
 */
public final class MessageSchemas {

    private static final String EVENTS_PACKAGE = "io.amply.events";

    private MessageSchemas() {
    }

    /** Every event record published to Kafka: the organisation-scoped ones, by file name. */
    public static Map<String, Class<?>> publishedEvents() throws IOException {
        Map<String, Class<?>> events = new TreeMap<>();
        for (Class<?> type : eventClasses()) {
            if (OrganisationScoped.class.isAssignableFrom(type) && type.isRecord()) {
                events.put(fileName(type), type);
            }
        }
        return events;
    }

    public static String fileName(Class<?> type) {
        return CloudEventRecords.type(type) + ".schema.json";
    }

    public static ObjectNode schemaOf(Class<?> type) {
        ObjectNode schema = JsonNodeFactory.instance.objectNode();
        schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        schema.put("$id", "https://amply.io/schemas/" + fileName(type));
        schema.put("title", CloudEventRecords.type(type));
        Revision revision = type.getAnnotation(Revision.class);
        schema.put("description", "Kafka topic " + EventTopics.topicFor(type) + ", key = organisation id, revision "
                + (revision == null ? "0" : revision.value()) + "; CloudEvents attributes in ce_* headers (docs/kafka.md)");
        schema.setAll(objectOf(type));
        return schema;
    }

    private static ObjectNode objectOf(Class<?> record) {
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        object.put("type", "object");
        ObjectNode properties = object.putObject("properties");
        ArrayNode required = object.putArray("required");
        for (RecordComponent component : record.getRecordComponents()) {
            String name = PropertyNamingStrategies.SnakeCaseStrategy.INSTANCE.translate(component.getName());
            properties.set(name, typeOf(component.getType(), component.getGenericType()));
            required.add(name);
        }
        object.put("additionalProperties", false);
        return object;
    }

    private static ObjectNode typeOf(Class<?> type, Type generic) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        if (type == long.class || type == int.class || type == short.class) {
            node.put("type", "integer");
        } else if (type == Long.class || type == Integer.class) {
            node.putArray("type").add("integer").add("null");
        } else if (type == boolean.class) {
            node.put("type", "boolean");
        } else if (type == Boolean.class) {
            node.putArray("type").add("boolean").add("null");
        } else if (type == String.class) {
            node.putArray("type").add("string").add("null");
        } else if (type == Instant.class) {
            node.putArray("type").add("string").add("null");
            node.put("format", "date-time");
        } else if (type == LocalDate.class) {
            node.putArray("type").add("string").add("null");
            node.put("format", "date");
        } else if (type.isEnum()) {
            ArrayNode values = node.putArray("enum");
            Arrays.stream(type.getEnumConstants()).forEach(value -> values.add(value.toString()));
            values.addNull();
        } else if (type.isRecord()) {
            ObjectNode object = objectOf(type);
            ArrayNode options = node.putArray("anyOf");
            options.add(object);
            options.addObject().put("type", "null");
        } else if (type == List.class && generic instanceof ParameterizedType list
                && list.getActualTypeArguments()[0] instanceof Class<?> element) {
            node.putArray("type").add("array").add("null");
            // a list's elements are never null
            if (element == String.class) {
                node.putObject("items").put("type", "string");
            } else if (element.isRecord()) {
                node.set("items", objectOf(element));
            } else {
                throw new IllegalArgumentException("no JSON Schema mapping for " + generic.getTypeName());
            }
        } else {
            throw new IllegalArgumentException("no JSON Schema mapping for " + generic.getTypeName());
        }
        return node;
    }

    private static List<Class<?>> eventClasses() throws IOException {
        List<Class<?>> classes = new ArrayList<>();
        String path = EVENTS_PACKAGE.replace('.', '/');
        try {
            var root = MessageSchemas.class.getClassLoader().getResource(path + "/OrganisationScoped.class");
            if (root == null) {
                throw new IllegalStateException("shared-events is not on the classpath");
            }
            if ("jar".equals(root.getProtocol())) {
                try (var fs = java.nio.file.FileSystems.newFileSystem(root.toURI(), Map.of());
                     var files = Files.walk(fs.getPath("/" + path))) {
                    files.forEach(file -> load(file.toString().substring(1), classes));
                }
            } else {
                Path base = Path.of(root.toURI()).getParent();
                try (var files = Files.walk(base)) {
                    files.forEach(file -> load(path + "/" + base.relativize(file).toString().replace('\\', '/'), classes));
                }
            }
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        return classes;
    }

    private static void load(String resource, List<Class<?>> classes) {
        if (resource.endsWith("Event.class")) {
            try {
                classes.add(Class.forName(resource.replace('/', '.').replaceAll("\\.class$", "")));
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Writes every schema into the given directory. */
    public static void main(String[] args) throws IOException {
        Path directory = Path.of(args.length > 0 ? args[0] : "docs/schemas");
        Files.createDirectories(directory);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        for (var entry : publishedEvents().entrySet()) {
            Files.writeString(directory.resolve(entry.getKey()), json.writeValueAsString(schemaOf(entry.getValue())) + "\n");
        }
    }
}
