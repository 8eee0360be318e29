package io.amply.events.api;

import com.fasterxml.jackson.annotation.JsonValue;

/** The error codes of Amply's HTTP API (docs/api.md), with the HTTP status each one uses. */
public enum ApiErrorCode {
    INVALID_REQUEST(400),
    AUTHENTICATION_ERROR(401),
    AUTHORIZATION_ERROR(403),
    NOT_FOUND(404),
    CONFLICT(409),
    RATE_LIMIT_EXCEEDED(429),
    SERVER_ERROR(500);

    private final int httpStatus;

    ApiErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }

    @JsonValue
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
