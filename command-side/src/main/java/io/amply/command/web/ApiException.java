package io.amply.command.web;

import io.amply.events.api.ApiErrorCode;

/** A request that fails in a way the client should be told about, in the API's error format. */
public class ApiException extends RuntimeException {

    private final ApiErrorCode code;
    private final String param;
    private final Long retryAfterSeconds;

    public ApiException(ApiErrorCode code, String message, String param) {
        this(code, message, param, null);
    }

    private ApiException(ApiErrorCode code, String message, String param, Long retryAfterSeconds) {
        super(message);
        this.code = code;
        this.param = param;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** {@code rate_limit_exceeded}, answered with {@code Retry-After}: nothing was done, send it again then. */
    public static ApiException tooMany(String message, long retryAfterSeconds) {
        return new ApiException(ApiErrorCode.RATE_LIMIT_EXCEEDED, message, null, retryAfterSeconds);
    }

    public static ApiException invalid(String param, String message) {
        return new ApiException(ApiErrorCode.INVALID_REQUEST, message, param);
    }

    public static ApiException notFound(String param, String message) {
        return new ApiException(ApiErrorCode.NOT_FOUND, message, param);
    }

    public static ApiException conflict(String message) {
        return new ApiException(ApiErrorCode.CONFLICT, message, null);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(ApiErrorCode.AUTHORIZATION_ERROR, message, null);
    }

    public ApiErrorCode code() {
        return code;
    }

    public String param() {
        return param;
    }

    /** Seconds after which the client may send it again, or null when no wait is asked. */
    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
