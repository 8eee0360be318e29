package io.amply.command.security;

import io.amply.command.web.ApiException;
import io.amply.events.api.ApiErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.core.MethodParameter;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.util.List;

/** Lets a controller take the authenticated {@link Caller} as a parameter. */
@Component
class CurrentCaller implements WebMvcConfigurer, HandlerMethodArgumentResolver {

    static {
        // resolved from the credential, not sent: not a parameter of any operation in the OpenAPI document
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class);
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(this);
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Caller.class;
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
                                  NativeWebRequest webRequest, WebDataBinderFactory binderFactory) {
        Caller caller = ApiKeyAuthentication.caller(webRequest.getNativeRequest(HttpServletRequest.class));
        if (caller == null) {
            // fails closed: a controller that needs a caller never runs without one, whichever path reached it
            throw new ApiException(ApiErrorCode.AUTHENTICATION_ERROR, "send a credential: Authorization: Bearer sk_…", null);
        }
        return caller;
    }
}
