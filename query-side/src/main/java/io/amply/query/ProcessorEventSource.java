package io.amply.query;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.StreamableMessageSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The event store as the streaming processors read it (every processor's {@code source} in
 * query-side.yml), telling each processor when events it has not read have been committed.
 * <p>
 * A pooled processor whose stream cannot say so (Axon's {@code EmbeddedEventStore} cannot; Axon
 * Server can) looks for new events only every 500 ms once it has caught up, so every read model,
 * the ledger and the Kafka publisher lagged by a quarter of a second on average and half a second
 * at worst, however idle the machine (docs/benchmarks.md). Here one thread reads the head of the
 * event store every {@code amply.eventstore.notify-interval} and wakes each processor whose stream
 * is behind it, and every processor every 500 ms (for an event that committed into a gap behind the
 * head); the processor then reads through the event store as before. A wake-up that comes before
 * the event store has fetched the new events costs one look, and the next tick wakes it again.
 */
@Component(ProcessorEventSource.BEAN)
class ProcessorEventSource implements StreamableMessageSource<TrackedEventMessage<?>>, DisposableBean {

    static final String BEAN = "processorEventSource";
    private static final Logger log = LoggerFactory.getLogger(ProcessorEventSource.class);

    private final EventStore eventStore;
    private final LongSupplier head;
    private final Set<NotifyingStream> streams = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "event-store-head");
        thread.setDaemon(true);
        return thread;
    });
    private final boolean notifying;
    private final long wakeAllNanos;
    private long lastWakeAll = System.nanoTime();
    private volatile boolean headUnreadable;

    /** An {@code interval} of zero tells nobody: the processors look every 500 ms, as with the bare event store. */
    @Autowired
    ProcessorEventSource(EventStore eventStore, @Value("${amply.eventstore.notify-interval:PT0.02S}") Duration interval) {
        this(eventStore, () -> {
            TrackingToken head = eventStore.createHeadToken(); // the last index of the store; null while it is empty
            return head == null ? -1 : head.position().orElse(-1);
        }, interval, Duration.ofMillis(500));
    }

    /**
     * {@code head}: the position of the last event committed to the event store, -1 if none.
     * {@code wakeAll}: how often every processor is woken even if none is behind the head. An event
     * whose transaction commits after a later one's (its position is below the head a processor has
     * already read past: a gap its token remembers) does not move the head; without this it would
     * wait for the next event or for the processor's own look every few seconds. Every 500 ms is
     * what Axon does on its own, so such an event waits no longer than it did before.
     */
    ProcessorEventSource(EventStore eventStore, LongSupplier head, Duration interval, Duration wakeAll) {
        this.eventStore = eventStore;
        this.head = head;
        this.wakeAllNanos = wakeAll.toNanos();
        this.notifying = !interval.isZero();
        if (notifying) {
            ticker.scheduleWithFixedDelay(this::tick, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken trackingToken) {
        long from = trackingToken == null ? -1 : trackingToken.position().orElse(-1);
        return new NotifyingStream(eventStore.openStream(trackingToken), from);
    }

    @Override
    public TrackingToken createTailToken() {
        return eventStore.createTailToken();
    }

    @Override
    public TrackingToken createHeadToken() {
        return eventStore.createHeadToken();
    }

    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return eventStore.createTokenAt(dateTime);
    }

    @Override
    public void destroy() {
        ticker.shutdownNow();
    }

    /** Never throws: a failed tick would end the schedule, and the processors would look only every few seconds. */
    private void tick() {
        try {
            if (streams.stream().noneMatch(NotifyingStream::listening)) {
                return;
            }
            long head;
            try {
                head = this.head.getAsLong();
                headUnreadable = false;
            } catch (RuntimeException e) {
                if (!headUnreadable) {
                    log.warn("Cannot read the head of the event store ({}); waking every processor on each tick until it can",
                            e.getMessage());
                    headUnreadable = true;
                }
                head = Long.MAX_VALUE; // each processor looks for itself, and meets the error there if it persists
            }
            long now = System.nanoTime();
            boolean everyone = now - lastWakeAll >= wakeAllNanos;
            if (everyone) {
                lastWakeAll = now;
            }
            for (NotifyingStream stream : streams) {
                if (stream.listening() && (everyone || stream.behind(head))) {
                    stream.wake();
                }
            }
        } catch (Throwable e) {
            log.warn("Waking the event processors failed; trying again on the next tick", e);
        }
    }

    /** The event store's stream, remembering how far it has been read and whom to wake when it is behind. */
    private final class NotifyingStream implements BlockingStream<TrackedEventMessage<?>> {

        private final BlockingStream<TrackedEventMessage<?>> delegate;
        private volatile long delivered;
        private volatile Runnable callback;

        NotifyingStream(BlockingStream<TrackedEventMessage<?>> delegate, long delivered) {
            this.delegate = delegate;
            this.delivered = delivered;
            streams.add(this);
        }

        boolean listening() {
            return callback != null;
        }

        boolean behind(long head) {
            return head > delivered;
        }

        void wake() {
            Runnable wake = callback;
            if (wake != null) {
                wake.run();
            }
        }

        @Override
        public boolean setOnAvailableCallback(Runnable callback) {
            if (!notifying) {
                return false;
            }
            this.callback = callback;
            return true;
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            return delegate.peek();
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            return delegate.hasNextAvailable(timeout, unit);
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            TrackedEventMessage<?> next = delegate.nextAvailable();
            if (next.trackingToken() != null) {
                next.trackingToken().position().ifPresent(position -> delivered = position);
            }
            return next;
        }

        @Override
        public void skipMessagesWithPayloadTypeOf(TrackedEventMessage<?> ignoredMessage) {
            delegate.skipMessagesWithPayloadTypeOf(ignoredMessage);
        }

        @Override
        public void close() {
            streams.remove(this);
            delegate.close();
        }
    }
}
