package io.amply.query.web;

import io.amply.events.api.ApiError;
import io.amply.events.api.ApiErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** Every failure leaves in the API's error format; nothing internal (stack traces, SQL) leaks. */
@RestControllerAdvice
class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ApiError> api(ApiException e) {
        return respond(e.code(), e.getMessage(), e.param());
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ApiError> typeMismatch(MethodArgumentTypeMismatchException e) {
        return respond(ApiErrorCode.INVALID_REQUEST, e.getName() + " has the wrong type", e.getName());
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<ApiError> missing(MissingServletRequestParameterException e) {
        return respond(ApiErrorCode.INVALID_REQUEST, e.getParameterName() + " is required", e.getParameterName());
    }

    @ExceptionHandler({NoResourceFoundException.class, HttpRequestMethodNotSupportedException.class})
    ResponseEntity<ApiError> notFound(Exception e) {
        return respond(ApiErrorCode.NOT_FOUND, "no such resource", null);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ApiError> unexpected(Exception e, HttpServletRequest request) {
        log.error("request {} {} failed ({})", request.getMethod(), request.getRequestURI(), RequestIds.current(request), e);
        return respond(ApiErrorCode.SERVER_ERROR,
                "something went wrong on our side; quote " + RequestIds.current(request) + " to support", null);
    }

    private static ResponseEntity<ApiError> respond(ApiErrorCode code, String message, String param) {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(code.httpStatus());
        if (code == ApiErrorCode.RATE_LIMIT_EXCEEDED) {
            response.header("Retry-After", "1"); // as the command side answers its own (docs/api.md)
        }
        return response.body(ApiError.of(code, message, param));
    }
}
