package io.amply.command.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * A response's {@code meta.position} comes only from its own request's writes. {@link EventPositions}
 * notes them per thread and forgets them when it writes the response body; a request that ended
 * some other way (its connection dropped, a filter answered it) would leave them to the thread's
 * next request, so every request starts by forgetting.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class EventPositionsReset extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        EventPositions.forget();
        chain.doFilter(request, response);
    }
}
