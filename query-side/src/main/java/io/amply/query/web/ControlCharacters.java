package io.amply.query.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.amply.events.api.ApiError;
import io.amply.events.api.ApiErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UrlPathHelper;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;

/**
 * A read's path and parameters with a control character in them are {@code invalid_request}: no id,
 * cursor, date or search text of this API holds one, and PostgreSQL refuses a NUL in text, which would
 * otherwise reach it from a search or an id and come back as a 500.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 4) // after the request limits: a refused request costs nothing
class ControlCharacters extends OncePerRequestFilter {

    private final ObjectMapper json;

    ControlCharacters(ObjectMapper json) {
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !UrlPathHelper.defaultInstance.getPathWithinApplication(request).startsWith("/v1/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String param = offending(request);
        if (param == null) {
            chain.doFilter(request, response);
            return;
        }
        response.setStatus(ApiErrorCode.INVALID_REQUEST.httpStatus());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        json.writeValue(response.getOutputStream(), ApiError.of(ApiErrorCode.INVALID_REQUEST,
                param + " must not contain control characters", param));
    }

    /** The first part of the request holding a control character ("path" or a parameter's name), or null. */
    private static String offending(HttpServletRequest request) {
        if (hasControl(UrlPathHelper.defaultInstance.getPathWithinApplication(request))) {
            return "path";
        }
        for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
            if (hasControl(parameter.getKey()) || Arrays.stream(parameter.getValue()).anyMatch(ControlCharacters::hasControl)) {
                return parameter.getKey();
            }
        }
        return null;
    }

    static boolean hasControl(String text) {
        return text.chars().anyMatch(Character::isISOControl);
    }
}
