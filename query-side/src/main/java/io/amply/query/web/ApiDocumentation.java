package io.amply.query.web;

import io.amply.events.api.ApiData;
import io.amply.events.api.ApiErrorCode;
import io.amply.events.api.OpenApiData;
import io.amply.events.api.OpenApiErrors;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the generated OpenAPI document cannot see in the reads' controllers: which take an API key (every
 * one outside {@code /v1/public/}: the controllers read the header themselves), the error body of every
 * refusal, the "not yet" {@code 409} of a read asked for with {@code min_position}, the {@code 503} of a
 * read the replica stopped, and the downloads' own types (a transactions CSV, a ledger export's JSON Lines).
 */
@Configuration(proxyBeanMethods = false)
class ApiDocumentation {

    private static final String PUBLIC = "/v1/public/";

    @Bean
    OpenApiCustomizer amplyReadConventions(ApplicationContext context) {
        return openApi -> {
            OpenApiData.describeAll(openApi, dataByOperation(context.getBean("requestMappingHandlerMapping",
                    RequestMappingHandlerMapping.class)));
            Components components = openApi.getComponents() == null ? new Components() : openApi.getComponents();
            openApi.setComponents(components);
            components.addSecuritySchemes(OpenApiErrors.BEARER, OpenApiErrors.apiKey());
            components.addSchemas(OpenApiErrors.ERROR, OpenApiErrors.errorSchema());
            if (openApi.getPaths() == null) {
                return;
            }
            openApi.getPaths().forEach((path, item) -> item.readOperationsMap().values().forEach(operation -> {
                boolean open = path.startsWith(PUBLIC);
                operation.setSecurity(open ? List.of() : List.of(new SecurityRequirement().addList(OpenApiErrors.BEARER)));
                addErrors(operation, open);
                if (path.endsWith("/transactions")) {
                    success(operation).getContent().addMediaType("text/csv", new MediaType().schema(new StringSchema()
                            .description("with format=csv or Accept: text/csv: every matching row, a header line first")));
                } else if (path.endsWith("/ledger/export")) {
                    success(operation).setContent(new Content().addMediaType("application/x-ndjson", new MediaType()
                            .schema(new StringSchema().description("one ledger entry per line (ledger-hash-v1 §6)"))));
                }
            }));
        };
    }

    private static void addErrors(Operation operation, boolean open) {
        ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        operation.setResponses(responses);
        put(responses, ApiErrorCode.INVALID_REQUEST, "invalid_request: a parameter is malformed or out of range (it is named)");
        if (!open) {
            put(responses, ApiErrorCode.AUTHENTICATION_ERROR, "authentication_error: no valid API key");
            put(responses, ApiErrorCode.AUTHORIZATION_ERROR, "authorization_error: the key's user has no role here that may read this");
        }
        put(responses, ApiErrorCode.NOT_FOUND, "not_found: no such organisation, fund, campaign, donation or checkpoint");
        boolean waits = operation.getParameters() != null
                && operation.getParameters().stream().anyMatch(parameter -> "min_position".equals(parameter.getName()));
        if (waits) {
            put(responses, ApiErrorCode.CONFLICT, "conflict (param min_position): not yet, the replica has not reached that "
                    + "position; send it again shortly");
        }
        put(responses, ApiErrorCode.RATE_LIMIT_EXCEEDED, "rate_limit_exceeded: the caller sent more than its request limit, "
                + "or too many whole-chain reads are running; send it again after Retry-After seconds");
        put(responses, ApiErrorCode.SERVER_ERROR, "server_error: ours; quote the request id");
        responses.putIfAbsent(String.valueOf(OpenApiErrors.UNAVAILABLE), OpenApiErrors.response(OpenApiErrors.UNAVAILABLE,
                "server_error: the read ran longer than the replica allows and was stopped (no Retry-After: narrow it, "
                        + "or send it again when the system is less busy), or the database cannot serve it now (an "
                        + "outage, a failover): send it again after Retry-After seconds"));
    }

    private static void put(ApiResponses responses, ApiErrorCode code, String description) {
        responses.putIfAbsent(String.valueOf(code.httpStatus()), OpenApiErrors.response(code.httpStatus(), description));
    }

    private static ApiResponse success(Operation operation) {
        ApiResponse ok = operation.getResponses().get("200");
        if (ok == null) {
            ok = new ApiResponse().description("OK");
            operation.getResponses().addApiResponse("200", ok);
        }
        if (ok.getContent() == null) {
            ok.setContent(new Content());
        }
        return ok;
    }

    /** Each controller method's {@link ApiData}, by the method and path the document spells its operation with. */
    private static Map<String, ApiData> dataByOperation(RequestMappingHandlerMapping mappings) {
        Map<String, ApiData> byOperation = new HashMap<>();
        mappings.getHandlerMethods().forEach((info, method) -> Optional.ofNullable(method.getMethodAnnotation(ApiData.class))
                .ifPresent(data -> info.getMethodsCondition().getMethods().forEach(verb -> info.getPatternValues()
                        .forEach(path -> byOperation.put(verb.name() + " " + path, data)))));
        return byOperation;
    }
}
