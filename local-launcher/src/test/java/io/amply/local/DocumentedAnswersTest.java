package io.amply.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The check every integration test's answers go through can fail, and says why. */
class DocumentedAnswersTest {

    private static final JsonNode DOCUMENT = json("""
            {"paths": {"/v1/funds/{fundId}": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {
               "type": "object", "properties": {"data": {"$ref": "#/components/schemas/Fund"}}}}}},
               "404": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
               "503": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}}}},
             "components": {"schemas": {
               "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object",
                 "required": ["code", "message", "param"], "properties": {
                   "code": {"type": "string", "enum": ["not_found", "conflict", "server_error"]},
                   "message": {"type": "string"}, "param": {"type": "string", "nullable": true}}}}},
               "Fund": {"type": "object", "properties": {
               "id": {"type": "string"}, "balance": {"type": "integer", "format": "int64"},
               "restricted": {"type": "boolean"}, "status": {"type": "string", "enum": ["open", "closed"]},
               "closed_at": {"type": "string", "format": "date-time", "nullable": true},
               "tags": {"type": "array", "items": {"type": "string"}},
               "by_currency": {"type": "object", "additionalProperties": {"type": "integer"}},
               "parent": {"$ref": "#/components/schemas/Parent"},
               "checkpoint": {"nullable": true, "allOf": [{"$ref": "#/components/schemas/Parent"}]}}},
               "Parent": {"type": "object", "properties": {"id": {"type": "string"}}}}}}
            """);
    private static final HttpRequest READ = HttpRequest.newBuilder(URI.create("http://localhost:1/v1/funds/fund_1")).GET().build();

    @Test
    void anAnswerAsDocumentedPasses() {
        assertThatCode(() -> check("""
                {"id": "fund_1", "balance": 9007199254740991, "restricted": false, "status": "open",
                 "closed_at": null, "tags": ["a"], "by_currency": {"EUR": 5}, "parent": {"id": "p"}, "checkpoint": null}""")).doesNotThrowAnyException();
        assertThatCode(() -> check("""
                {"id": "fund_1", "status": "closed", "closed_at": "2026-11-28T15:04:05.123Z"}""")).doesNotThrowAnyException();
    }

    @Test
    void aMemberTheDocumentDoesNotNameFails() {
        assertThatThrownBy(() -> check("{\"id\": \"fund_1\", \"secret\": 1}")).hasMessageContaining("[data.secret]");
    }

    @Test
    void aMemberOfAnotherTypeFails() {
        assertThatThrownBy(() -> check("{\"balance\": \"100\"}")).hasMessageContaining("data.balance (a string, documented as integer)");
        assertThatThrownBy(() -> check("{\"balance\": 1.5}")).hasMessageContaining("data.balance (a number, documented as integer)");
        assertThatThrownBy(() -> check("{\"restricted\": \"false\"}")).hasMessageContaining("documented as boolean");
        assertThatThrownBy(() -> check("{\"by_currency\": {\"EUR\": \"5\"}}"))
                .hasMessageContaining("data.by_currency.EUR (a string, documented as integer)");
        assertThatThrownBy(() -> check("{\"tags\": [1]}")).hasMessageContaining("data.tags[0] (an integer, documented as string)");
        assertThatThrownBy(() -> check("{\"id\": {\"value\": \"fund_1\"}}")).hasMessageContaining("data.id (an object, documented as string)");
        assertThatThrownBy(() -> check("{\"tags\": \"a\"}")).hasMessageContaining("data.tags (a string, documented as array)");
        assertThatThrownBy(() -> check("{\"checkpoint\": {\"id\": 1}}")).hasMessageContaining("data.checkpoint.id (an integer, documented as string)");
    }

    @Test
    void aValueTheDocumentDoesNotListFails() {
        assertThatThrownBy(() -> check("{\"status\": \"archived\"}")).hasMessageContaining("data.status (\"archived\", documented as one of");
    }

    @Test
    void aValueNotOfItsDocumentedFormatFails() {
        assertThatThrownBy(() -> check("{\"closed_at\": \"yesterday\"}")).hasMessageContaining("documented as date-time");
    }

    @Test
    void aNullTheDocumentDoesNotAllowFails() {
        assertThatThrownBy(() -> check("{\"id\": null}")).hasMessageContaining("data.id (null, documented as never null)");
        assertThatThrownBy(() -> check("{\"parent\": null}")).hasMessageContaining("data.parent (null, documented as never null)");
    }

    @Test
    void aRequiredMemberThatIsAbsentFailsAndAnOptionalOneMayBe() {
        // given: a list whose envelope requires its cursor, of projects that require an id and a status but not a note
        JsonNode document = json("""
                {"paths": {"/v1/projects": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {
                   "type": "object", "required": ["data", "meta", "has_more", "next_cursor"], "properties": {
                     "data": {"type": "array", "items": {"$ref": "#/components/schemas/Project"}},
                     "has_more": {"type": "boolean"}, "next_cursor": {"type": "string", "nullable": true}}}}}}}}}},
                 "components": {"schemas": {"Project": {"type": "object", "required": ["id", "status"], "properties": {
                   "id": {"type": "string"}, "status": {"type": "string", "nullable": true}, "note": {"type": "string"}}}}}}
                """);
        HttpRequest list = HttpRequest.newBuilder(URI.create("http://localhost:1/v1/projects")).GET().build();

        // when / then
        assertThatCode(() -> DocumentedAnswers.check(document, list, 200, json("""
                {"data": [{"id": "proj_1", "status": null}], "has_more": false, "next_cursor": null, "meta": {}}""")))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> DocumentedAnswers.check(document, list, 200, json("""
                {"data": [{"id": "proj_1", "note": "n"}], "has_more": false, "next_cursor": null, "meta": {}}""")))
                .hasMessageContaining("data[0].status (absent, documented as always there)");
        assertThatThrownBy(() -> DocumentedAnswers.check(document, list, 200, json("""
                {"data": [], "has_more": false, "meta": {}}""")))
                .hasMessageContaining("next_cursor (absent, documented as always there)");
    }

    @Test
    void aRefusalInTheErrorFormatWithItsStatusesCodePasses() {
        assertThatCode(() -> refused(404, "{\"error\": {\"code\": \"not_found\", \"message\": \"no fund\", \"param\": \"fund_id\"}}"))
                .doesNotThrowAnyException();
        assertThatCode(() -> refused(503, "{\"error\": {\"code\": \"server_error\", \"message\": \"busy\", \"param\": null}}"))
                .doesNotThrowAnyException();
    }

    @Test
    void aRefusalNotInTheErrorFormatFails() {
        // a framework's own error page, as Spring Boot answers when nothing maps the failure
        assertThatThrownBy(() -> refused(404, """
                {"timestamp": "2026-11-28T17:00:00Z", "status": 404, "error": "Not Found", "path": "/v1/funds/fund_1"}"""))
                .hasMessageContaining("body.timestamp").hasMessageContaining("body.error (a string, documented as object)");
        assertThatThrownBy(() -> refused(404, "{\"error\": {\"code\": \"not_found\", \"message\": \"no fund\"}}"))
                .hasMessageContaining("body.error.param (absent, documented as always there)");
        assertThatThrownBy(() -> refused(404, "{\"error\": {\"code\": \"missing\", \"message\": \"no\", \"param\": null}}"))
                .hasMessageContaining("body.error.code (\"missing\", documented as one of");
        assertThatThrownBy(() -> refused(404, null)).hasMessageContaining("without the error format");
    }

    @Test
    void aRefusalWhoseCodeOrStatusIsNotTheDocumentedOneFails() {
        assertThatThrownBy(() -> refused(404, "{\"error\": {\"code\": \"conflict\", \"message\": \"x\", \"param\": null}}"))
                .hasMessageContaining("status 404 with code conflict, which is 409");
        assertThatThrownBy(() -> refused(409, "{\"error\": {\"code\": \"conflict\", \"message\": \"x\", \"param\": null}}"))
                .hasMessageContaining("status 409 not documented for the operation");
    }

    private static void refused(int status, String body) {
        DocumentedAnswers.checkError(DOCUMENT, READ, status, body == null ? null : json(body));
    }

    private static void check(String data) {
        DocumentedAnswers.check(DOCUMENT, READ, 200, json("{\"data\": " + data + ", \"meta\": {}}"));
    }

    private static JsonNode json(String text) {
        try {
            return Http.JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
