package io.amply.events.api;

import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityScheme;

import java.util.Arrays;
import java.util.List;

/**
 * The parts of both services' OpenAPI documents that the controllers cannot show: the API key and the
 * error body of every refusal, in one place so the two documents describe them alike. (The services
 * bring the OpenAPI model at run time, with springdoc.)
 */
public final class OpenApiErrors {

    /** The security scheme's name: {@code Authorization: Bearer sk_…}. */
    public static final String BEARER = "api_key";
    /** The error body's schema name. */
    public static final String ERROR = "Error";
    /** The status of {@code server_error} when the database cannot serve the request ({@link DatabaseUnavailable}). */
    public static final int UNAVAILABLE = 503;

    private OpenApiErrors() {
    }

    public static SecurityScheme apiKey() {
        return new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                .description("An API key, `Authorization: Bearer sk_…`, bound to a user");
    }

    /** {@code {"error": {"code", "message", "param"}}}, the code one of {@link ApiErrorCode}'s. */
    public static Schema<?> errorSchema() {
        StringSchema code = new StringSchema();
        Arrays.stream(ApiErrorCode.values()).forEach(value -> code.addEnumItem(value.code()));
        Schema<?> body = new ObjectSchema()
                .addProperty("code", code)
                .addProperty("message", new StringSchema().description("what went wrong, for a person"))
                .addProperty("param", new StringSchema().nullable(true).description("the offending member, if one"));
        body.setRequired(List.of("code", "message", "param"));
        Schema<?> error = new ObjectSchema().addProperty("error", body).description("The body of every failed request");
        error.setRequired(List.of("error"));
        return error;
    }

    /** A refusal with the error body; a 429 says when to send it again, and so does a 503 of an unavailable database. */
    public static ApiResponse response(int status, String description) {
        ApiResponse response = new ApiResponse().description(description).content(new Content().addMediaType(
                "application/json", new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + ERROR))));
        if (status == ApiErrorCode.RATE_LIMIT_EXCEEDED.httpStatus() || status == UNAVAILABLE) {
            response.addHeaderObject("Retry-After",
                    new Header().description("seconds to wait before sending it again").schema(new IntegerSchema()));
        }
        return response;
    }
}
