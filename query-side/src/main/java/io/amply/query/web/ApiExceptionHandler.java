package io.amply.query.web;

import io.amply.events.api.ApiError;
import io.amply.events.api.ApiErrorCode;
import io.amply.events.api.DatabaseUnavailable;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import java.sql.SQLException;

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
        // as the command side words it (never Spring's: Java's types and conversion failures)
        boolean number = e.getRequiredType() != null && Number.class.isAssignableFrom(e.getRequiredType());
        return respond(ApiErrorCode.INVALID_REQUEST, e.getName() + (number ? " must be a whole number within range" : " is not a valid value"),
                e.getName());
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
        if (statementTimedOut(e)) {
            // the replica's statement_timeout stopped it (amply.replica.statement-timeout): the read's own
            // cost, not a fault, so no stack trace; 503 because nothing is wrong with what was asked
            log.warn("request {} {} ran longer than the replica's statement timeout ({})", request.getMethod(),
                    request.getRequestURI(), RequestIds.current(request));
            return ResponseEntity.status(503).contentType(MediaType.APPLICATION_JSON).body(ApiError.of(ApiErrorCode.SERVER_ERROR,
                    "this read ran longer than the replica allows and was stopped; narrow it (dates, a type, a fund) or "
                    + "send it again later, when the system is less busy; quote " + RequestIds.current(request) + " to support", null));
        }
        if (DatabaseUnavailable.is(e)) {
            // an outage (the replica or the primary), not a bug in this read: no stack trace per request
            log.warn("request {} {} found the database unavailable ({}): {}", request.getMethod(), request.getRequestURI(),
                    RequestIds.current(request), e.toString());
            return ResponseEntity.status(503).contentType(MediaType.APPLICATION_JSON)
                    .header("Retry-After", DatabaseUnavailable.RETRY_AFTER_SECONDS).body(DatabaseUnavailable.error(e, RequestIds.current(request), false, false));
        }
        log.error("request {} {} failed ({})", request.getMethod(), request.getRequestURI(), RequestIds.current(request), e);
        return respond(ApiErrorCode.SERVER_ERROR,
                "something went wrong on our side; quote " + RequestIds.current(request) + " to support", null);
    }

    /**
     * JSON whatever the request's {@code Accept} says: the type is fixed here, since negotiating it against
     * {@code text/csv} (a transactions download) finds no writer for an error, which then left with no body.
     */
    private static ResponseEntity<ApiError> respond(ApiErrorCode code, String message, String param) {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(code.httpStatus()).contentType(MediaType.APPLICATION_JSON);
        if (code == ApiErrorCode.RATE_LIMIT_EXCEEDED) {
            response.header("Retry-After", "1"); // as the command side answers its own (docs/api.md)
        }
        return response.body(ApiError.of(code, message, param));
    }

    /** PostgreSQL's query_canceled (57014), which a statement_timeout raises, anywhere in the causes. */
    private static boolean statementTimedOut(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && "57014".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
