package io.amply.command.web;

import io.amply.events.api.ApiEnvelope;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Read-your-writes: every successful write answers with {@code meta.position}, the event store's
 * global index of the last event the write itself appended. A client passes it to a read on the
 * query side as {@code min_position} and gets data that includes the write, or a clear "not yet"
 * (docs/api.md). The write's own events, not the store's head: a read model's segment that handles
 * the write's organisation reaches the write's events promptly, while it may learn of other
 * organisations' later events only when it next records its position.
 */
@ControllerAdvice
class EventPositions implements ResponseBodyAdvice<Object> {

    /** Identifiers of the events published on this thread since its request began (commands run on it). */
    private static final ThreadLocal<List<String>> PUBLISHED = ThreadLocal.withInitial(ArrayList::new);
    private static final int REMEMBERED = 10_000;

    private final JdbcTemplate jdbc;

    EventPositions(JdbcTemplate jdbc, EventBus eventBus) {
        this.jdbc = jdbc;
        eventBus.registerDispatchInterceptor(new MessageDispatchInterceptor<EventMessage<?>>() {
            @Override
            public BiFunction<Integer, EventMessage<?>, EventMessage<?>> handle(List<? extends EventMessage<?>> messages) {
                List<String> published = PUBLISHED.get();
                if (published.size() < REMEMBERED) {
                    messages.forEach(m -> published.add(m.getIdentifier()));
                }
                return (index, message) -> message;
            }
        });
    }

    @Override
    public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType contentType,
                                  Class<? extends HttpMessageConverter<?>> converterType,
                                  ServerHttpRequest request, ServerHttpResponse response) {
        String[] published = PUBLISHED.get().toArray(String[]::new);
        PUBLISHED.remove();
        if (!(body instanceof ApiEnvelope<?> envelope) || HttpMethod.GET.equals(request.getMethod())
                || envelope.data() == null || published.length == 0) {
            return body;
        }
        Long position = jdbc.execute((ConnectionCallback<Long>) connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT max(global_index) FROM domain_event_entry WHERE event_identifier = ANY (?)")) {
                query.setArray(1, connection.createArrayOf("varchar", published));
                try (ResultSet rs = query.executeQuery()) {
                    rs.next();
                    long max = rs.getLong(1);
                    return rs.wasNull() ? null : max;
                }
            }
        });
        return position == null ? body : envelope.withMeta("position", position);
    }
}
