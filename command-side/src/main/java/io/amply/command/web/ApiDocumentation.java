package io.amply.command.web;

import io.amply.events.api.ApiData;
import io.amply.events.api.ApiErrorCode;
import io.amply.events.api.OpenApiData;
import io.amply.events.api.OpenApiErrors;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
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
 * What the generated OpenAPI document cannot see in the controllers: the credential every
 * operation needs (the caller is resolved from it, see {@code CurrentCaller}), the error body of every refusal, the {@code Idempotency-Key} every {@code POST}
 * honours, and the Stripe webhook's own signature instead of a key.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocumentation {

    static final String STRIPE_WEBHOOK = "/v1/webhooks/stripe";
    private static final String BEARER = OpenApiErrors.BEARER;

    @Bean
    OpenApiCustomizer amplyConventions(ApplicationContext context) {
        return openApi -> {
            OpenApiData.describeAll(openApi, dataByOperation(context.getBean("requestMappingHandlerMapping",
                    RequestMappingHandlerMapping.class)));
            Components components = openApi.getComponents() == null ? new Components() : openApi.getComponents();
            openApi.setComponents(components);
            components.addSecuritySchemes(BEARER, OpenApiErrors.apiKey());
            components.addSchemas(OpenApiErrors.ERROR, OpenApiErrors.errorSchema());
            openApi.addSecurityItem(new SecurityRequirement().addList(BEARER));
            if (openApi.getPaths() == null) {
                return;
            }
            openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
                boolean webhook = STRIPE_WEBHOOK.equals(path);
                addErrors(operation, method, webhook);
                if (webhook) {
                    operation.setSecurity(List.of()); // Stripe signs the body instead
                    // the controller reads the header itself, to answer its absence in the API's format
                    if (operation.getParameters() != null) {
                        operation.getParameters().removeIf(parameter -> "Stripe-Signature".equals(parameter.getName()));
                    }
                    operation.addParametersItem(header("Stripe-Signature", true,
                            "t=<unix seconds>,v1=<HMAC-SHA256 of \"t.body\" with the endpoint's signing secret>"));
                } else if (method == PathItem.HttpMethod.POST) {
                    operation.addParametersItem(header("Idempotency-Key", false,
                            "1–255 visible ASCII characters (no spaces): the same key and request answer the first response again"));
                }
            }));
        };
    }

    private static void addErrors(Operation operation, PathItem.HttpMethod method, boolean webhook) {
        ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        operation.setResponses(responses);
        Map<ApiErrorCode, String> errors = Map.of(
                ApiErrorCode.INVALID_REQUEST, "invalid_request: the request is malformed or breaks a rule of its input",
                ApiErrorCode.AUTHENTICATION_ERROR, "authentication_error: no valid API key",
                ApiErrorCode.AUTHORIZATION_ERROR, "authorization_error: the key's user may not do this here",
                ApiErrorCode.NOT_FOUND, "not_found: no such resource",
                ApiErrorCode.CONFLICT, "conflict: the state does not allow it (or the Idempotency-Key was used for another request)",
                ApiErrorCode.RATE_LIMIT_EXCEEDED, "rate_limit_exceeded: the caller sent more than its request limit, "
                        + "or other requests were changing the same records (it waited too long for them, or met their "
                        + "change); nothing of it was written: send it again after Retry-After seconds",
                ApiErrorCode.SERVER_ERROR, "server_error: ours; quote the request id");
        errors.forEach((code, description) -> {
            if (code == ApiErrorCode.CONFLICT && method == PathItem.HttpMethod.GET) {
                return;
            }
            if (webhook && (code == ApiErrorCode.AUTHENTICATION_ERROR || code == ApiErrorCode.AUTHORIZATION_ERROR)) {
                return; // no API key: a bad signature is invalid_request
            }
            responses.putIfAbsent(String.valueOf(code.httpStatus()), OpenApiErrors.response(code.httpStatus(), description));
        });
        responses.putIfAbsent(String.valueOf(OpenApiErrors.UNAVAILABLE), OpenApiErrors.response(OpenApiErrors.UNAVAILABLE,
                "server_error: the database cannot serve the request now (an outage, a failover, no connection free in "
                        + "time); the message says whether a write may have been recorded; send it again after "
                        + "Retry-After seconds (with the same Idempotency-Key for a write)"));
    }

    private static HeaderParameter header(String name, boolean required, String description) {
        HeaderParameter header = new HeaderParameter();
        header.name(name).required(required).description(description).schema(new StringSchema());
        return header;
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
