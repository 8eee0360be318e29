package io.amply.query.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodParameter;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A members' read refuses a query parameter it does not have: a misspelt filter ({@code stauts=failed}) read every
 * transaction, which a download then gave as the failed ones. Public reads ({@code /v1/public/**}) are left alone:
 * links to them carry parameters of their own (a campaign's {@code utm_source}, a cache-buster), and a page read
 * unfiltered shows itself as such.
 */
@Component
class UnknownParameters implements WebMvcConfigurer, HandlerInterceptor {

    private static final ParameterNameDiscoverer NAMES = new DefaultParameterNameDiscoverer();

    private final Map<Method, Set<String>> known = new ConcurrentHashMap<>();

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/v1/**").excludePathPatterns("/v1/public/**");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method)) {
            return true;
        }
        Set<String> parameters = known.computeIfAbsent(method.getMethod(), m -> parametersOf(method));
        for (String name : request.getParameterMap().keySet()) {
            if (!parameters.contains(name)) {
                throw ApiException.invalid(name, name + " is not a parameter of this read ("
                        + (parameters.isEmpty() ? "it takes none" : "it takes " + String.join(", ", parameters)) + ")");
            }
        }
        return true;
    }

    private static Set<String> parametersOf(HandlerMethod method) {
        Set<String> names = new TreeSet<>();
        for (MethodParameter parameter : method.getMethodParameters()) {
            RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
            if (param != null) {
                parameter.initParameterNameDiscovery(NAMES);
                names.add(!param.name().isEmpty() ? param.name() : !param.value().isEmpty() ? param.value()
                        : parameter.getParameterName());
            }
        }
        return names;
    }
}
