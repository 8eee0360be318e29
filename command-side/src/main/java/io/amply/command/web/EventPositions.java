package io.amply.command.web;

import io.amply.events.api.ApiEnvelope;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
public class EventPositions implements ResponseBodyAdvice<Object> {

    /**
     * An event published on this thread, with its trace: the identifier of the command a request
     * sent, which Axon's {@code MessageOriginProvider} carries into every event that command causes,
     * however many commands follow from it.
     */
    public record Published(String traceId, String eventIdentifier, Long appendedAt) {
    }

    /** The events published on this thread since its request began (commands run on it). */
    private static final ThreadLocal<List<Published>> PUBLISHED = ThreadLocal.withInitial(ArrayList::new);
    /** A position found for this thread's request elsewhere (its commands ran on another thread, see DonationBatcher). */
    private static final ThreadLocal<Long> KNOWN = new ThreadLocal<>();
    /** Global indexes of the events this thread appended, as the insert returned them (see {@link AppendedPositions}). */
    private static final ThreadLocal<Map<String, Long>> APPENDED = ThreadLocal.withInitial(HashMap::new);
    /** Set once a unit of work that ran a command on this thread has committed: something of this request is written. */
    private static final ThreadLocal<Boolean> COMMITTED = new ThreadLocal<>();
    private static final String COMMIT_NOTED = EventPositions.class.getName() + ".commitNoted";
    private static final int REMEMBERED = 10_000;
    private static final String TRACE_ID = "traceId";

    private final JdbcTemplate jdbc;

    EventPositions(JdbcTemplate jdbc, EventBus eventBus, CommandBus commandBus) {
        this.jdbc = jdbc;
        commandBus.registerHandlerInterceptor((unitOfWork, chain) -> {
            UnitOfWork<?> root = unitOfWork.root();
            root.getOrComputeResource(COMMIT_NOTED, key -> {
                root.afterCommit(u -> COMMITTED.set(Boolean.TRUE));
                return Boolean.TRUE;
            });
            return chain.proceed();
        });
        eventBus.registerDispatchInterceptor(new MessageDispatchInterceptor<EventMessage<?>>() {
            @Override
            public BiFunction<Integer, EventMessage<?>, EventMessage<?>> handle(List<? extends EventMessage<?>> messages) {
                List<Published> published = PUBLISHED.get();
                if (published.size() < REMEMBERED) {
                    messages.forEach(m -> published.add(new Published(
                            Objects.toString(m.getMetaData().get(TRACE_ID), null), m.getIdentifier(), null)));
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
        List<Published> published = takePublished();
        Long known = KNOWN.get();
        KNOWN.remove();
        if (!(body instanceof ApiEnvelope<?> envelope) || HttpMethod.GET.equals(request.getMethod())
                || envelope.data() == null || (published.isEmpty() && known == null)) {
            return body;
        }
        Long position = known != null ? known : positions(published).values().stream().max(Long::compare).orElse(null);
        return position == null ? body : envelope.withMeta("position", position);
    }

    /**
     * What this thread published since it last asked, each with its global index if this thread
     * appended it; forgotten by the thread.
     */
    public static List<Published> takePublished() {
        List<Published> published = PUBLISHED.get();
        Map<String, Long> appended = APPENDED.get();
        PUBLISHED.remove();
        APPENDED.remove();
        if (appended.isEmpty()) {
            return published;
        }
        List<Published> located = new ArrayList<>(published.size());
        published.forEach(p -> located.add(new Published(p.traceId(), p.eventIdentifier(), appended.get(p.eventIdentifier()))));
        return located;
    }

    /** Forgets whatever this thread noted for an earlier request: each request starts clean ({@link EventPositionsReset}). */
    static void forget() {
        PUBLISHED.remove();
        APPENDED.remove();
        KNOWN.remove();
        COMMITTED.remove();
    }

    /**
     * Whether something this thread's request sent has been committed: by a unit of work on this
     * thread, or by the thread that recorded its donation ({@link #answerWith}). A failure after that
     * (reading the answer back) must not be answered as if nothing were written.
     */
    static boolean somethingCommitted() {
        return COMMITTED.get() != null || KNOWN.get() != null;
    }

    /** Runs other requests' commands on this thread (a donation batch) without counting their commits as this request's. */
    public static void runForOthers(Runnable work) {
        Boolean committed = COMMITTED.get();
        try {
            work.run();
        } finally {
            COMMITTED.set(committed);
        }
    }

    /** An event this thread appended, at {@code globalIndex} (committed or not: the caller knows). */
    static void appended(String eventIdentifier, long globalIndex) {
        Map<String, Long> appended = APPENDED.get();
        if (appended.size() < REMEMBERED) {
            appended.put(eventIdentifier, globalIndex);
        }
    }

    /** The position of this thread's request's write, found by the thread that ran its commands. */
    public static void answerWith(long position) {
        KNOWN.set(position);
    }

    /**
     * The highest global index of each trace's committed events: from what the inserts returned
     * when this thread appended them all (no round trip), else from the event store.
     */
    public Map<String, Long> positions(List<Published> published) {
        Map<String, Long> positions = new HashMap<>();
        for (Published p : published) {
            if (p.appendedAt() == null) {
                return stored(published);
            }
            positions.merge(Objects.toString(p.traceId(), ""), p.appendedAt(), Math::max);
        }
        return positions;
    }

    /**
     * The highest global index of each trace's events that the event store holds, in one query
     * however many traces: what is stored, whatever this thread believes it appended.
     */
    public Map<String, Long> stored(List<Published> published) {
        if (published.isEmpty()) {
            return Map.of();
        }
        Map<String, String> traceOfEvent = new HashMap<>();
        published.forEach(p -> traceOfEvent.put(p.eventIdentifier(), Objects.toString(p.traceId(), "")));
        return jdbc.execute((ConnectionCallback<Map<String, Long>>) connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT event_identifier, global_index FROM domain_event_entry WHERE event_identifier = ANY (?)")) {
                query.setArray(1, connection.createArrayOf("varchar", traceOfEvent.keySet().toArray()));
                Map<String, Long> positions = new HashMap<>();
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        positions.merge(traceOfEvent.get(rs.getString(1)), rs.getLong(2), Math::max);
                    }
                }
                return positions;
            }
        });
    }
}
