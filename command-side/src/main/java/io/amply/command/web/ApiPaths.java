package io.amply.command.web;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.util.UrlPathHelper;

/** What the filters decide by: the path as the controllers are chosen by. */
public final class ApiPaths {

    private ApiPaths() {
    }

    /**
     * The request's path decoded and without {@code ;parameters}, as Spring chooses its controller.
     * The raw URI would let {@code /v1;x/users/me} or {@code /%761/users/me} pass a filter as not an
     * API path and still reach the controller of {@code /v1/users/me}, no credential checked.
     */
    public static String routed(HttpServletRequest request) {
        return UrlPathHelper.defaultInstance.getPathWithinApplication(request);
    }
}
