package io.amply.query.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** shared-events cannot drift from what consumers read: every published event matches its checked-in schema. */
class MessageSchemasTest {

    private static final Path SCHEMAS = Path.of("../docs/schemas");
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void everyPublishedEventHasItsSchemaCheckedIn() throws IOException {
        // given
        Map<String, Class<?>> events = MessageSchemas.publishedEvents();

        // then
        assertThat(events).isNotEmpty();
        for (var event : events.entrySet()) {
            Path file = SCHEMAS.resolve(event.getKey());
            assertThat(file).as("schema of %s (regenerate with MessageSchemas)", event.getValue().getName()).exists();
            JsonNode checkedIn = json.readTree(file.toFile());
            assertThat(checkedIn).as("%s changed: update its revision or the schema", event.getValue().getName())
                    .isEqualTo(MessageSchemas.schemaOf(event.getValue()));
        }
    }

    @Test
    void noSchemaIsLeftForAnEventThatNoLongerExists() throws IOException {
        // given
        Set<String> expected = new TreeSet<>(MessageSchemas.publishedEvents().keySet());
        expected.add("io.amply.ledger.EntryAppended.v1.schema.json");
        expected.add("io.amply.ledger.CheckpointSigned.v1.schema.json");

        // when
        Set<String> present;
        try (Stream<Path> files = Files.list(SCHEMAS)) {
            present = files.map(f -> f.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }

        // then
        assertThat(present).isEqualTo(expected);
    }
}
