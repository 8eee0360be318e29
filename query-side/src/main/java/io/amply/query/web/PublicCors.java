package io.amply.query.web;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

import java.time.Duration;
import java.util.List;

/**
 * The public pages may be read from a browser on any site (a charity's donation widget, a campaign page):
 * CORS on {@code /v1/public/**} for {@code GET}, never with credentials, exposing the headers a client
 * acts on. A filter before the request limits, so a 429 carries the CORS headers too and a preflight is
 * answered without counting. Members' reads take an API key, which does not belong in a browser: no CORS.
 */
@Configuration(proxyBeanMethods = false)
class PublicCors {

    @Bean
    FilterRegistrationBean<CorsFilter> publicCorsFilter(
            @Value("${amply.api.public-cors.allowed-origins:*}") List<String> allowedOrigins) {
        CorsConfiguration cors = new CorsConfiguration();
        cors.setAllowedOrigins(allowedOrigins);
        cors.setAllowedMethods(List.of("GET", "HEAD"));
        cors.setAllowedHeaders(List.of("Accept", "Accept-Language", "Content-Type", "X-Request-Id"));
        cors.setExposedHeaders(List.of("X-Request-Id", "X-RateLimit-Limit", "X-RateLimit-Remaining", "Retry-After",
                "Content-Disposition"));
        cors.setAllowCredentials(false);
        cors.setMaxAge(Duration.ofHours(1));
        UrlBasedCorsConfigurationSource paths = new UrlBasedCorsConfigurationSource();
        paths.registerCorsConfiguration("/v1/public/**", cors);
        FilterRegistrationBean<CorsFilter> registration = new FilterRegistrationBean<>(new CorsFilter(paths));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2); // before RateLimiting (+3)
        return registration;
    }
}
