package io.amply.query.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodParameter;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ValueConstants;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.util.UrlPathHelper;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A members' read refuses a query parameter it does not have: a misspelt filter ({@code stauts=failed}) read every
 * transaction, which a download then gave as the failed ones. Public reads ({@code /v1/public/**}) are left alone
 * there: links to them carry parameters of their own (a campaign's {@code utm_source}, a cache-buster), and a page read
 * unfiltered shows itself as such. Every read refuses a parameter sent empty that it would read as its default
 * ({@code limit=} as 50): the client meant some value, and was never told which one it got.
 */
@Component
class UnknownParameters implements WebMvcConfigurer, HandlerInterceptor {

    private static final ParameterNameDiscoverer NAMES = new DefaultParameterNameDiscoverer();

    private final Map<Method, Map<String, Boolean>> known = new ConcurrentHashMap<>();

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/v1/**");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method)) {
            return true;
        }
        Map<String, Boolean> parameters = known.computeIfAbsent(method.getMethod(), m -> parametersOf(method));
        boolean publicRead = UrlPathHelper.defaultInstance.getPathWithinApplication(request).startsWith("/v1/public/");
        for (Map.Entry<String, String[]> sent : request.getParameterMap().entrySet()) {
            String name = sent.getKey();
            Boolean defaulted = parameters.get(name);
            if (defaulted == null && !publicRead) {
                throw ApiException.invalid(name, name + " is not a parameter of this read ("
                        + (parameters.isEmpty() ? "it takes none" : "it takes " + String.join(", ", parameters.keySet())) + ")");
            }
            if (Boolean.TRUE.equals(defaulted) && Arrays.stream(sent.getValue()).anyMatch(String::isBlank)) {
                throw ApiException.invalid(name, name + " is empty: give it a value, or leave it out for its default");
            }
        }
        return true;
    }

    /** The read's query parameters, each with whether it has a default (which Spring gives an empty value too). */
    private static Map<String, Boolean> parametersOf(HandlerMethod method) {
        Map<String, Boolean> names = new TreeMap<>();
        for (MethodParameter parameter : method.getMethodParameters()) {
            RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
            if (param != null) {
                parameter.initParameterNameDiscovery(NAMES);
                names.put(!param.name().isEmpty() ? param.name() : !param.value().isEmpty() ? param.value()
                        : parameter.getParameterName(), !ValueConstants.DEFAULT_NONE.equals(param.defaultValue()));
            }
        }
        return names;
    }
}
