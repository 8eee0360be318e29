package io.amply.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAPI document each side serves lists exactly the operations its controllers handle. */
class OpenApiIT {

    @Test
    void eachSidesOpenApiDocumentMatchesItsControllers() {
        TestStack.Apps apps = TestStack.get().apps();
        assertThat(documented(apps.commandUrl())).isEqualTo(handled(apps.command()));
        assertThat(documented(apps.queryUrl())).isEqualTo(handled(apps.query()));
    }

    @Test
    void aRequestBodyIsDocumentedWithThePropertyNamesAndRequiredFieldsTheApiReads() {
        // given
        JsonNode document = Http.get(TestStack.get().apps().commandUrl() + "/v3/api-docs", null).body();

        // when: the body of POST /v1/donations, as the document describes it
        String ref = document.at("/paths/~1v1~1donations/post/requestBody/content/application~1json/schema/$ref").asText();
        JsonNode schema = document.at("/components/schemas/" + ref.substring(ref.lastIndexOf('/') + 1));

        // then: snake_case as on the wire, and what the API requires marked required
        Set<String> properties = new TreeSet<>();
        schema.get("properties").fieldNames().forEachRemaining(properties::add);
        assertThat(properties).contains("organisation_id", "fund_id", "campaign_id", "amount", "currency", "payment", "donor")
                .doesNotContain("organisationId", "fundId");
        Set<String> required = new TreeSet<>();
        schema.get("required").forEach(name -> required.add(name.asText()));
        assertThat(required).contains("organisation_id", "fund_id", "amount", "currency");
        assertThat(schema.at("/properties/amount/maximum").asLong()).isEqualTo(9_007_199_254_740_991L);
    }

    @Test
    void theCommandSidesDocumentSaysHowToAuthenticateWhatEachOperationAnswersAndHowItFails() {
        // given
        JsonNode document = Http.get(TestStack.get().apps().commandUrl() + "/v3/api-docs", null).body();

        // then: a bearer API key, and no operation asks for the caller it resolves from that key
        assertThat(document.at("/components/securitySchemes/api_key/scheme").asText()).isEqualTo("bearer");
        assertThat(document.at("/security/0").has("api_key")).isTrue();
        assertThat(document.toString()).doesNotContain("\"name\":\"caller\"");
        // creating answers 201, a checkpoint request 202, an update 200
        assertThat(document.at("/paths/~1v1~1donations/post/responses").has("201")).isTrue();
        assertThat(document.at("/paths/~1v1~1donations/post/responses/201/content").fieldNames()).toIterable()
                .containsExactly("application/json"); // every answer is JSON, not */*
        assertThat(document.at("/paths/~1v1~1expenses/post/responses").has("201")).isTrue();
        assertThat(document.at("/paths/~1v1~1organisations~1{organisationId}~1checkpoints/post/responses").has("202")).isTrue();
        assertThat(document.at("/paths/~1v1~1organisations~1{organisationId}/patch/responses").has("200")).isTrue();
        // every operation documents the error body of its refusals
        document.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(operation -> {
            JsonNode responses = operation.getValue().get("responses");
            boolean webhook = path.getKey().equals("/v1/webhooks/stripe"); // signed by Stripe, no API key
            for (String status : webhook ? List.of("400", "404", "429", "500") : List.of("400", "401", "403", "404", "429", "500")) {
                assertThat(responses.at("/" + status + "/content/application~1json/schema/$ref").asText())
                        .as(operation.getKey() + " " + path.getKey() + " " + status).isEqualTo("#/components/schemas/Error");
            }
        }));
        // a request that gave up waiting for locks is told when to send it again
        assertThat(document.at("/paths/~1v1~1donations/post/responses/429/headers/Retry-After/schema/type").asText())
                .isEqualTo("integer");
        assertThat(document.at("/components/schemas/Error/properties/error/properties/code/enum").toString())
                .contains("invalid_request", "conflict");
        // every POST takes an Idempotency-Key; the Stripe webhook a signature and no key
        assertThat(parameters(document.at("/paths/~1v1~1donations/post/parameters"))).contains("Idempotency-Key");
        JsonNode webhook = document.at("/paths/~1v1~1webhooks~1stripe/post");
        assertThat(parameters(webhook.get("parameters"))).contains("Stripe-Signature").doesNotContain("Idempotency-Key");
        assertThat(webhook.get("security")).isEmpty();
        assertThat(webhook.get("responses").has("401")).isFalse();
    }

    @Test
    void theQuerySidesDocumentSaysWhichReadsTakeAKeyHowTheyFailAndWhatTheDownloadsAre() {
        // given
        JsonNode document = Http.get(TestStack.get().apps().queryUrl() + "/v3/api-docs", null).body();
        JsonNode paths = document.get("paths");

        // then: the members' reads take the API key, the public ones none
        assertThat(document.at("/components/securitySchemes/api_key/scheme").asText()).isEqualTo("bearer");
        paths.fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(operation -> {
            String name = operation.getKey() + " " + path.getKey();
            boolean open = path.getKey().startsWith("/v1/public/");
            JsonNode security = operation.getValue().get("security");
            assertThat(security).as(name).isNotNull();
            if (open) {
                assertThat(security).as(name).isEmpty();
            } else {
                assertThat(security.get(0).has("api_key")).as(name).isTrue();
            }
            // and every read documents the error body of its refusals; only the members' reads a 401 or 403
            JsonNode responses = operation.getValue().get("responses");
            for (String status : List.of("400", "404", "429", "500", "503")) {
                assertThat(responses.at("/" + status + "/content/application~1json/schema/$ref").asText())
                        .as(name + " " + status).isEqualTo("#/components/schemas/Error");
            }
            assertThat(responses.has("401")).as(name).isEqualTo(!open);
            assertThat(responses.has("403")).as(name).isEqualTo(!open);
            // a read that takes min_position may answer "not yet"
            boolean waits = operation.getValue().has("parameters")
                    && parameters(operation.getValue().get("parameters")).contains("min_position");
            assertThat(responses.has("409")).as(name).isEqualTo(waits);
        }));
        assertThat(paths.at("/~1v1~1public~1organisations~1{organisationId}~1ledger/get/responses/409").isMissingNode()).isFalse();
        assertThat(paths.at("/~1v1~1public~1organisations~1{organisationId}~1ledger/get/responses/429/headers/Retry-After/schema/type")
                .asText()).isEqualTo("integer");
        // the downloads say their own types
        assertThat(paths.at("/~1v1~1organisations~1{organisationId}~1transactions/get/responses/200/content").has("text/csv")).isTrue();
        assertThat(paths.at("/~1v1~1organisations~1{organisationId}~1transactions/get/responses/200/content").has("application/json"))
                .isTrue();
        assertThat(paths.at("/~1v1~1public~1organisations~1{organisationId}~1ledger~1export/get/responses/200/content")
                .fieldNames()).toIterable().containsExactly("application/x-ndjson");
    }

    @Test
    void everyAnswerInTheEnvelopeIsDocumentedWithTheMembersOfItsData() throws Exception {
        TestStack.Apps apps = TestStack.get().apps();
        for (String baseUrl : List.of(apps.commandUrl(), apps.queryUrl())) {
            // given
            JsonNode document = Http.get(baseUrl + "/v3/api-docs", null).body();

            // then: every success answer in JSON but the signing keys (a JSON Web Key Set, not the envelope) names the
            // schema of its data, and that schema has members
            List<String> undescribed = new java.util.ArrayList<>();
            document.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(operation -> {
                String name = operation.getKey().toUpperCase() + " " + path.getKey();
                operation.getValue().get("responses").fields().forEachRemaining(response -> {
                    JsonNode json = response.getValue().at("/content/application~1json/schema");
                    if (!response.getKey().startsWith("2") || json.isMissingNode() || name.equals("GET /v1/public/keys")) {
                        return;
                    }
                    JsonNode data = json.at("/properties/data");
                    JsonNode element = data.has("items") ? data.get("items") : data;
                    String ref = element.path("$ref").asText();
                    if (ref.isEmpty() || !document.at("/components/schemas/" + ref.substring(ref.lastIndexOf('/') + 1)).has("properties")) {
                        undescribed.add(name + " " + response.getKey());
                    }
                });
            }));
            assertThat(undescribed).as(baseUrl).isEmpty();
        }
        // and a donation's, for one, exactly as answered (DocumentedAnswers holds every answer of every test to its document,
        // member by member; this checks the other way too: no documented member is missing from the answer)
        Api api = new Api(TestStack.get());
        Api.Organisation org = api.organisation(Api.admin(), "EUR");
        JsonNode donation = Http.post(apps.commandUrl() + "/v1/donations", Api.admin(), """
                {"organisation_id": "%s", "fund_id": "%s", "amount": 500, "currency": "EUR"}""".formatted(org.id(),
                org.generalFund())).body().get("data");
        JsonNode documented = Http.get(apps.commandUrl() + "/v3/api-docs", null).body().at("/components/schemas/Donation/properties");
        Set<String> answered = new TreeSet<>();
        donation.fieldNames().forEachRemaining(answered::add);
        Set<String> described = new TreeSet<>();
        documented.fieldNames().forEachRemaining(described::add);
        assertThat(answered).isEqualTo(described);
        // and in OpenAPI 3.0, whose nullable a generated client reads (3.1 would need a type list instead)
        JsonNode schema = Http.get(apps.commandUrl() + "/v3/api-docs", null).body();
        assertThat(schema.get("openapi").asText()).startsWith("3.0");
        assertThat(schema.at("/components/schemas/Donation/type").asText()).isEqualTo("object");
        assertThat(schema.at("/components/schemas/Donation/properties/campaign_id/nullable").asBoolean()).isTrue();
        assertThat(schema.at("/components/schemas/Donation/properties/fund_id/nullable").asBoolean()).isFalse();
    }

    private static Set<String> parameters(JsonNode parameters) {
        Set<String> names = new TreeSet<>();
        parameters.forEach(parameter -> names.add(parameter.get("name").asText()));
        return names;
    }

    private static Set<String> documented(String baseUrl) {
        JsonNode paths = Http.get(baseUrl + "/v3/api-docs", null).body().get("paths");
        Set<String> operations = new TreeSet<>();
        paths.fields().forEachRemaining(path -> path.getValue().fieldNames()
                .forEachRemaining(method -> operations.add(method.toUpperCase() + " " + path.getKey())));
        return operations;
    }

    private static Set<String> handled(ConfigurableApplicationContext context) {
        Set<String> operations = new TreeSet<>();
        RequestMappingHandlerMapping mapping = context.getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class);
        for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
            for (String pattern : info.getPatternValues()) {
                if (pattern.startsWith("/v1/")) {
                    info.getMethodsCondition().getMethods().forEach(m -> operations.add(m.name() + " " + pattern));
                }
            }
        }
        return operations;
    }
}
