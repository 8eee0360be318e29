package io.amply.command.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A write whose endpoint takes no body (a campaign's or project's activation or completion, a fund's close, a
 * programme's acceptance or decline, a reread, …) is refused when it carries one: {@code {"reason": "…"}} sent to a
 * decline was answered 200 and the reason lost, where a member a body does not have is refused
 * ({@link StrictRequestBodies}). An empty body, or an empty object {@code {}} as some clients send, carries nothing and
 * passes. Read before the handler, so nothing is written; the body is at most the request limit ({@link RequestBodyLimit}).
 */
@Component
class BodilessRequests implements WebMvcConfigurer, HandlerInterceptor {

    /** Whether each handler takes a body: asked once per handler, not on every request (donations pass here). */
    private final Map<Method, Boolean> takesBody = new ConcurrentHashMap<>();

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/v1/**");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) throws IOException {
        if (!(handler instanceof HandlerMethod method) || "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod())
                || takesBody.computeIfAbsent(method.getMethod(), m -> Arrays.stream(method.getMethodParameters())
                        .anyMatch(p -> p.hasParameterAnnotation(RequestBody.class)))) {
            return true;
        }
        String body = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String members = body.replaceAll("\\s", "");
        if (members.isEmpty() || members.equals("{}")) {
            return true;
        }
        throw ApiException.invalid(null, request.getMethod() + " " + ApiPaths.routed(request)
                + " takes no body: send it without one (nothing of it was read or written)");
    }
}
