package io.amply.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

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
