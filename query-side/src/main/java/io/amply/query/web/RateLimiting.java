package io.amply.query.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.amply.events.api.ApiError;
import io.amply.events.api.ApiErrorCode;
import io.amply.events.api.RateLimits;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UrlPathHelper;

import java.io.IOException;

/**
 * The command side's request limits, on the reads: at most {@code amply.api.rate-limit.burst} requests
 * at once per credential (or client address, for a request without one), refilled at
 * {@code amply.api.rate-limit.per-second}, per node. Checked before the credential is looked up, so a
 * refused request costs no query; a credential refused (401) counts for its address as well. The public
 * pages, exports and verifications count per client address; whole-chain reads are capped in number as
 * well ({@link ChainReads}).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 3) // after Spring's HTTP observation filter (+1), so its 429s are counted
class RateLimiting extends OncePerRequestFilter {

    private final boolean enabled;
    private final RateLimits limits;
    private final Counter refused;
    private final ObjectMapper json;

    RateLimiting(@Value("${amply.api.rate-limit.enabled:true}") boolean enabled,
                 @Value("${amply.api.rate-limit.per-second:100}") double perSecond,
                 @Value("${amply.api.rate-limit.burst:200}") int burst, MeterRegistry meters, ObjectMapper json) {
        this.enabled = enabled;
        this.limits = new RateLimits(perSecond, burst);
        this.refused = Counter.builder("amply.api.rate.limited").description("requests refused for their caller's rate limit")
                .register(meters);
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        // the path as the controllers are chosen by (a raw URI's "/v1;x/…" would pass as not an API path)
        return !enabled || !UrlPathHelper.defaultInstance.getPathWithinApplication(request).startsWith("/v1/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        // a public read looks no credential up, so it never answers 401: a made-up key sent with it would
        // otherwise have a fresh bucket each time, and the address's limit would not hold
        String credential = UrlPathHelper.defaultInstance.getPathWithinApplication(request).startsWith("/v1/public/")
                ? null : RateLimits.credentialOf(request.getHeader("Authorization"));
        RateLimits.Decision decision = limits.admit(credential, request.getRemoteAddr());
        response.setHeader("X-RateLimit-Limit", Integer.toString(limits.burst()));
        response.setHeader("X-RateLimit-Remaining", Long.toString(decision.remaining()));
        if (decision.allowed()) {
            chain.doFilter(request, response);
            if (credential != null && response.getStatus() == ApiErrorCode.AUTHENTICATION_ERROR.httpStatus()) {
                limits.credentialRefused(request.getRemoteAddr());
            }
            return;
        }
        refused.increment();
        response.setStatus(ApiErrorCode.RATE_LIMIT_EXCEEDED.httpStatus());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setHeader("Retry-After", Long.toString(decision.retryAfterSeconds()));
        json.writeValue(response.getOutputStream(), ApiError.of(ApiErrorCode.RATE_LIMIT_EXCEEDED,
                "too many requests from this caller: send again after " + decision.retryAfterSeconds() + " s", null));
    }
}
