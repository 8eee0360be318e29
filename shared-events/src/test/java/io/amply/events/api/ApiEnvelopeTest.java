package io.amply.events.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ApiEnvelopeTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aSingleResourceHasNeitherHasMoreNorACursor() {
        // when
        JsonNode body = json.valueToTree(ApiEnvelope.of(Map.of("id", "org_1"), "req_1"));

        // then
        assertThat(body.has("has_more")).isFalse();
        assertThat(body.has("next_cursor")).isFalse();
        assertThat(body.at("/meta/request_id").asText()).isEqualTo("req_1");
    }

    @Test
    void aListsLastPageSaysItsCursorIsNull() {
        // when
        JsonNode body = json.valueToTree(ApiEnvelope.list(List.of("a"), false, null, "req_1"));

        // then: the member is there, as ARCHITECTURE §7 lists it, and null
        assertThat(body.get("has_more").asBoolean()).isFalse();
        assertThat(body.has("next_cursor")).isTrue();
        assertThat(body.get("next_cursor").isNull()).isTrue();
    }

    @Test
    void aListPageWithMoreGivesItsCursorAndKeepsItThroughMeta() throws Exception {
        // when
        ApiEnvelope<List<String>> page = ApiEnvelope.list(List.of("a"), true, "c_2", "req_1").withMeta("position", 7);
        String text = json.writeValueAsString(page);

        // then
        JsonNode body = json.readTree(text);
        assertThat(body.get("has_more").asBoolean()).isTrue();
        assertThat(body.get("next_cursor").asText()).isEqualTo("c_2");
        assertThat(body.at("/meta/position").asInt()).isEqualTo(7);
        assertThat(text).startsWith("{\"data\":[\"a\"],\"has_more\":true,\"next_cursor\":\"c_2\",\"meta\":");
    }
}
