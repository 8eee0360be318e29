package io.amply.command.web;

import io.amply.events.api.ApiEnvelope;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Read-your-writes: every successful write answers with {@code meta.position}, the event store's
 * global index once the write committed, so at least that of the write's own events. A client
 * passes it to a read on the query side as {@code min_position} and gets data that includes the
 * write, or a clear "not yet" (docs/api.md, Freshness).
 */
@ControllerAdvice
class EventPositions implements ResponseBodyAdvice<Object> {

    private final JdbcTemplate jdbc;

    EventPositions(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType contentType,
                                  Class<? extends HttpMessageConverter<?>> converterType,
                                  ServerHttpRequest request, ServerHttpResponse response) {
        if (!(body instanceof ApiEnvelope<?> envelope) || HttpMethod.GET.equals(request.getMethod())
                || envelope.data() == null) {
            return body;
        }
        Long position = jdbc.queryForObject("SELECT max(global_index) FROM domain_event_entry", Long.class);
        return position == null ? body : envelope.withMeta("position", position);
    }
}
