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
