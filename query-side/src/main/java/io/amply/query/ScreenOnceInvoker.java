package io.amply.query;

import org.axonframework.eventhandling.EventHandlerInvoker;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.MultiEventHandlerInvoker;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;

import javax.annotation.Nonnull;
import javax.annotation.Nullable;
import java.util.List;
import java.util.Objects;

/**
 * A pooled processor's event handlers, answering its coordinator with one look per event.
 * <p>
 * For every event it reads, a pooled processor's coordinator asks, once for each segment it holds,
 * whether the processor handles the event in that segment. Axon's {@link MultiEventHandlerInvoker}
 * answers every such question from scratch: whether its handlers accept replays (a fixed answer,
 * found by walking every handler), whether any handler takes the event, and the event's sequence
 * identifier. With four segments and seven processors each event was looked at 28 times, and half
 * the coordinators' CPU went to it (docs/benchmarks.md). Here the replay answer is found once, and
 * the rest once per event; a segment only compares the identifier's hash. Handling goes to the same
 * invokers on the same answers; and a released segment is passed on to every invoker, which
 * Axon's does not do (see {@link #segmentReleased}).
 * <p>
 * The last look is kept by event identity: the coordinator asks about one event for each of its
 * segments in turn. A look is immutable, so threads that share the invoker (the coordinator and the
 * workers) can at worst make each other look again. If any invoker is not a
 * {@link SimpleEventHandlerInvoker} (a saga's, say), every question goes to Axon's invoker as before.
 */
final class ScreenOnceInvoker implements EventHandlerInvoker {

    /** What the invokers said about one event: which take it (before segments), and at which hash. */
    private record Look(EventMessage<?> event, boolean[] takes, int[] hashes) {
    }

    private final EventHandlerInvoker delegate;
    private final List<SimpleEventHandlerInvoker> invokers;
    private final boolean[] acceptsReplays;
    private volatile Look last;

    ScreenOnceInvoker(EventHandlerInvoker delegate) {
        this.delegate = delegate;
        List<EventHandlerInvoker> parts = parts(delegate);
        if (parts.stream().allMatch(SimpleEventHandlerInvoker.class::isInstance)) {
            this.invokers = parts.stream().map(SimpleEventHandlerInvoker.class::cast).toList();
            this.acceptsReplays = new boolean[invokers.size()];
            for (int i = 0; i < acceptsReplays.length; i++) {
                acceptsReplays[i] = invokers.get(i).supportsReset();
            }
        } else {
            this.invokers = null;
            this.acceptsReplays = null;
        }
    }

    private static List<EventHandlerInvoker> parts(EventHandlerInvoker delegate) {
        return delegate instanceof MultiEventHandlerInvoker multi ? multi.delegates() : List.of(delegate);
    }

    @Override
    public boolean canHandle(@Nonnull EventMessage<?> eventMessage, @Nonnull Segment segment) {
        if (invokers == null) {
            return delegate.canHandle(eventMessage, segment);
        }
        Look look = look(eventMessage);
        for (int i = 0; i < look.takes.length; i++) {
            if (look.takes[i] && segment.matches(look.hashes[i])) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void handle(@Nonnull EventMessage<?> message, @Nonnull Segment segment) throws Exception {
        if (invokers == null) {
            delegate.handle(message, segment);
            return;
        }
        Look look = look(message);
        for (int i = 0; i < look.takes.length; i++) {
            if (look.takes[i] && segment.matches(look.hashes[i])) {
                invokers.get(i).handle(message, segment);
            }
        }
    }

    /** What {@link MultiEventHandlerInvoker} works out per segment, worked out once for the event. */
    private Look look(EventMessage<?> event) {
        Look look = last;
        if (look != null && look.event == event) {
            return look;
        }
        boolean replay = ReplayToken.isReplay(event);
        boolean[] takes = new boolean[invokers.size()];
        int[] hashes = new int[invokers.size()];
        for (int i = 0; i < takes.length; i++) {
            SimpleEventHandlerInvoker invoker = invokers.get(i);
            takes[i] = (acceptsReplays[i] || !replay) && invoker.eventHandlers().stream().anyMatch(h -> h.canHandle(event));
            if (takes[i]) {
                Object sequence = invoker.getSequencingPolicy().getSequenceIdentifierFor(event);
                hashes[i] = Objects.hashCode(sequence != null ? sequence : event.getIdentifier());
            }
        }
        look = new Look(event, takes, hashes);
        last = look;
        return look;
    }

    @Override
    public boolean canHandleType(@Nonnull Class<?> payloadType) {
        return delegate.canHandleType(payloadType);
    }

    @Override
    public boolean supportsReset() {
        return delegate.supportsReset();
    }

    @Override
    public void performReset() {
        delegate.performReset();
    }

    @Override
    public <R> void performReset(@Nullable R resetContext) {
        delegate.performReset(resetContext);
    }

    /**
     * To every invoker: Axon's {@link MultiEventHandlerInvoker} (4.13) does not pass this on, so the
     * ledger's dead-letter invoker never forgot what it had cached about a segment it no longer held.
     * Had another node parked an organisation's event meanwhile, the segment, claimed back, would
     * have gone on handling that organisation's later events as if nothing were parked.
     */
    @Override
    public void segmentReleased(Segment segment) {
        parts(delegate).forEach(part -> part.segmentReleased(segment));
    }
}
