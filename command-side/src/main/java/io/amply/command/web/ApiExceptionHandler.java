package io.amply.command.web;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.amply.command.RuleViolation;
import io.amply.events.api.ApiError;
import io.amply.events.api.ApiErrorCode;
import io.amply.events.api.DatabaseUnavailable;
import jakarta.servlet.http.HttpServletRequest;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Every failure leaves in the API's error format; nothing internal (stack traces, SQL) leaks. */
@RestControllerAdvice
class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);
    /** Jackson's words for a member named twice (StrictRequestBodies). */
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '(.*)'");

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ApiError> api(ApiException e) {
        if (e.retryAfterSeconds() != null) {
            return ResponseEntity.status(e.code().httpStatus()).header(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds().toString())
                    .body(ApiError.of(e.code(), e.getMessage(), e.param()));
        }
        return respond(e.code(), e.getMessage(), e.param());
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ResponseEntity<ApiError> invalid(MethodArgumentNotValidException e) {
        var first = e.getBindingResult().getFieldErrors().stream().findFirst();
        String param = first.map(f -> JsonNames.snake(f.getField())).orElse(null);
        String message = e.getBindingResult().getFieldErrors().stream()
                .map(f -> JsonNames.snake(f.getField()) + " " + f.getDefaultMessage())
                .sorted()
                .collect(Collectors.joining("; "));
        return respond(ApiErrorCode.INVALID_REQUEST, message, param);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ApiError> unreadable(HttpMessageNotReadableException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof RequestBodyLimit.TooLarge tooLarge) {
                return respond(ApiErrorCode.INVALID_REQUEST, tooLarge.getMessage(), null);
            }
        }
        if (e.getCause() instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String param = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() == null ? "[" + ref.getIndex() + "]" : ref.getFieldName())
                    .collect(Collectors.joining("."));
            String why;
            if (mapping instanceof UnrecognizedPropertyException) {
                why = "is not a member of this request";
            } else if (mapping instanceof InvalidFormatException invalid) {
                why = "has the wrong type or format (got " + invalid.getValue() + ")";
            } else if (mapping instanceof MismatchedInputException) {
                why = "has the wrong type";
            } else if (String.valueOf(mapping.getOriginalMessage()).contains("out of range")) {
                why = "is out of range"; // a number beyond what a 64-bit integer holds
            } else {
                why = "is not valid";
            }
            return respond(ApiErrorCode.INVALID_REQUEST, param + " " + why, param);
        }
        Matcher duplicate = DUPLICATE.matcher(e.getCause() instanceof JsonParseException parse
                ? String.valueOf(parse.getOriginalMessage()) : "");
        if (duplicate.matches()) {
            return respond(ApiErrorCode.INVALID_REQUEST, duplicate.group(1) + " appears more than once in the request body",
                    duplicate.group(1));
        }
        return respond(ApiErrorCode.INVALID_REQUEST, "the request body is not valid JSON", null);
    }

    @ExceptionHandler(MissingRequestHeaderException.class)
    ResponseEntity<ApiError> missingHeader(MissingRequestHeaderException e) {
        return respond(ApiErrorCode.INVALID_REQUEST, "the header " + e.getHeaderName() + " is required", e.getHeaderName());
    }

    /** {@code ?limit=many}: named, without Spring's wording (Java's types and conversion failures). */
    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ApiError> badParameter(MethodArgumentTypeMismatchException e) {
        boolean number = e.getRequiredType() != null && Number.class.isAssignableFrom(e.getRequiredType());
        return respond(ApiErrorCode.INVALID_REQUEST, e.getName() + (number ? " must be a whole number within range" : " is not a valid value"),
                e.getName());
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ApiError> mediaType(HttpMediaTypeNotSupportedException e) {
        return respond(ApiErrorCode.INVALID_REQUEST, "send the request body as application/json", null);
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ApiError> method(HttpRequestMethodNotSupportedException e) {
        return respond(ApiErrorCode.NOT_FOUND, "no such operation: " + e.getMethod(), null);
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ApiError> noResource(NoResourceFoundException e) {
        return respond(ApiErrorCode.NOT_FOUND, "no such resource", null);
    }

    @ExceptionHandler(AggregateNotFoundException.class)
    ResponseEntity<ApiError> aggregateNotFound(AggregateNotFoundException e) {
        return respond(ApiErrorCode.NOT_FOUND, "no such resource", null);
    }

    /** An aggregate's guard clause refused the command: the client's mistake, not ours. */
    @ExceptionHandler(RuleViolation.class)
    ResponseEntity<ApiError> ruleViolation(RuleViolation e) {
        return respond(CommandRefusals.codeOf(e), e.getMessage(), e.param());
    }

    /** A command refused for the client's reason carries its answer ({@link CommandRefusals}), from whichever node ran it. */
    @ExceptionHandler(CommandExecutionException.class)
    ResponseEntity<ApiError> commandFailed(CommandExecutionException e, HttpServletRequest request) {
        return CommandRefusals.answer(e)
                .map(answer -> ResponseEntity.status(answer.error().code().httpStatus()).body(answer))
                .orElseGet(() -> unexpected(e, request));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ApiError> unexpected(Exception e, HttpServletRequest request) {
        return failure(e, request);
    }

    /**
     * The answer to a failure no handler expected, here or in a filter before the controllers
     * ({@link RequestIds}): a wait for locks given up is the client's to retry, anything else is ours.
     */
    static ResponseEntity<ApiError> failure(Throwable e, HttpServletRequest request) {
        // only while nothing of the request is committed: a read-back that waited too long after its
        // command committed is not "nothing written", and a retry would write it twice
        if (Contention.is(e) && !EventPositions.somethingCommitted()) {
            if (Contention.staleCopy(e)) {
                log.warn("request {} {} was decided on a stale copy of an aggregate ({}): {}", request.getMethod(),
                        request.getRequestURI(), RequestIds.current(request), e.toString());
            } else if (Contention.tooLate(e)) {
                log.warn("request {} {} was refused at commit: its events were more than 15 s old ({}): {}", request.getMethod(),
                        request.getRequestURI(), RequestIds.current(request), e.toString());
            } else if (Contention.aggregateLockTimedOut(e)) {
                log.error("request {} {} waited a minute for an aggregate's lock ({})", request.getMethod(),
                        request.getRequestURI(), RequestIds.current(request), e);
            } else {
                log.warn("request {} {} gave up waiting for locks ({}): {}", request.getMethod(), request.getRequestURI(),
                        RequestIds.current(request), e.toString());
            }
            return ResponseEntity.status(ApiErrorCode.RATE_LIMIT_EXCEEDED.httpStatus())
                    .header(HttpHeaders.RETRY_AFTER, Contention.RETRY_AFTER_SECONDS).body(Contention.error(e));
        }
        if (DatabaseUnavailable.is(e)) {
            // an outage, not a bug in this request: no stack trace per request, and the client is told to retry
            log.warn("request {} {} found the database unavailable ({}): {}", request.getMethod(), request.getRequestURI(),
                    RequestIds.current(request), e.toString());
            boolean write = !"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod());
            return ResponseEntity.status(503).header(HttpHeaders.RETRY_AFTER, DatabaseUnavailable.RETRY_AFTER_SECONDS)
                    .body(DatabaseUnavailable.error(e, RequestIds.current(request), write, EventPositions.somethingCommitted()));
        }
        log.error("request {} {} failed ({})", request.getMethod(), request.getRequestURI(), RequestIds.current(request), e);
        return respond(ApiErrorCode.SERVER_ERROR,
                "something went wrong on our side; quote " + RequestIds.current(request) + " to support", null);
    }

    private static ResponseEntity<ApiError> respond(ApiErrorCode code, String message, String param) {
        return ResponseEntity.status(code.httpStatus()).body(ApiError.of(code, message, param));
    }
}
