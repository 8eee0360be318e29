package io.amply.command.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.amply.events.api.ApiError;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * Gives every request a {@code req_…} id: in the response's meta, its header, and the logs. Being
 * the first of the API's filters, it also answers what fails in the filters after it (the credential's
 * or the {@code Idempotency-Key}'s look-up) in the API's error format, as the controllers' failures are.
 * It runs inside Spring Boot's {@code ServerHttpObservationFilter} (order {@code HIGHEST_PRECEDENCE + 1}),
 * so that {@code http.server.requests} records the status the client is sent: outside it, a failure
 * that is answered 429 here was recorded as a 500 (LockWaitsIT).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
public class RequestIds extends OncePerRequestFilter {

    private static final String ATTRIBUTE = RequestIds.class.getName();

    private final ObjectMapper json;

    RequestIds(ObjectMapper json) {
        this.json = json;
    }

    public static String current(HttpServletRequest request) {
        Object id = request.getAttribute(ATTRIBUTE);
        return id == null ? "req_unknown" : id.toString();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String id = Ids.next("req_");
        request.setAttribute(ATTRIBUTE, id);
        response.setHeader("X-Request-Id", id);
        MDC.put("request_id", id);
        try {
            chain.doFilter(request, response);
        } catch (RuntimeException e) {
            if (response.isCommitted()) {
                throw e; // part of an answer has left: nothing better can be sent now
            }
            ResponseEntity<ApiError> answer = ApiExceptionHandler.failure(e, request);
            response.resetBuffer();
            response.setStatus(answer.getStatusCode().value());
            answer.getHeaders().forEach((name, values) -> values.forEach(value -> response.setHeader(name, value)));
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            json.writeValue(response.getOutputStream(), answer.getBody());
        } finally {
            MDC.remove("request_id");
        }
    }
}
