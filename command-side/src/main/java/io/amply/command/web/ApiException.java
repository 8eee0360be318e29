package io.amply.command.web;

import io.amply.events.api.ApiErrorCode;

/** A request that fails in a way the client should be told about, in the API's error format. */
public class ApiException extends RuntimeException {

    private final ApiErrorCode code;
    private final String param;

    public ApiException(ApiErrorCode code, String message, String param) {
        super(message);
        this.code = code;
        this.param = param;
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
}
