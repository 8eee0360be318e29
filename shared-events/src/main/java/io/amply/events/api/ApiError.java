package io.amply.events.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** {@code {"error": {"code", "message", "param"}}}: the body of every failed request. */
public record ApiError(Body error) {

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Body(ApiErrorCode code, String message, String param) {
    }

    public static ApiError of(ApiErrorCode code, String message, String param) {
        return new ApiError(new Body(code, message, param));
    }
}
