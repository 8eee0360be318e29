package io.amply.query;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ProcessorEventSourceTest {

    private final EmbeddedEventStore eventStore = EmbeddedEventStore.builder()
            .storageEngine(new InMemoryEventStorageEngine()).build();
    private final AtomicLong head = new AtomicLong(-1);
    private final AtomicInteger wakeUps = new AtomicInteger();
    private ProcessorEventSource source;

    @AfterEach
    void stop() {
        source.destroy();
        eventStore.shutDown();
    }

    @Test
    void wakesAProcessorWhoseStreamIsBehindTheHeadOfTheEventStore() {
        // given
        source = new ProcessorEventSource(eventStore, head::get, Duration.ofMillis(5), Duration.ofHours(1));
        BlockingStream<TrackedEventMessage<?>> stream = source.openStream(null);
        assertThat(stream.setOnAvailableCallback(wakeUps::incrementAndGet)).isTrue();

        // when
        eventStore.publish(GenericEventMessage.asEventMessage("donation received"));
        head.set(0);

        // then
        await().atMost(Duration.ofSeconds(5)).until(() -> wakeUps.get() > 0);
    }

    @Test
    void leavesAProcessorThatHasReadUpToTheHeadAlone() throws InterruptedException {
        // given: the only event read
        BlockingStream<TrackedEventMessage<?>> stream = streamAtTheHead(Duration.ofHours(1));

        // when
        stream.setOnAvailableCallback(wakeUps::incrementAndGet);

        // then: many ticks, no wake-up
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> wakeUps.get() == 0);
    }

    @Test
    void wakesAProcessorAtTheHeadNowAndThenForAnEventThatCommittedIntoAGapBehindIt() throws InterruptedException {
        // given: the head read, so the head alone would never wake it again
        BlockingStream<TrackedEventMessage<?>> stream = streamAtTheHead(Duration.ofMillis(50));

        // when
        stream.setOnAvailableCallback(wakeUps::incrementAndGet);

        // then: woken all the same, again and again
        await().atMost(Duration.ofSeconds(5)).until(() -> wakeUps.get() > 2);
    }

    /** A stream that has read the event store's only event, its head. */
    private BlockingStream<TrackedEventMessage<?>> streamAtTheHead(Duration wakeAll) throws InterruptedException {
        source = new ProcessorEventSource(eventStore, head::get, Duration.ofMillis(5), wakeAll);
        eventStore.publish(GenericEventMessage.asEventMessage("donation received"));
        head.set(0);
        BlockingStream<TrackedEventMessage<?>> stream = source.openStream(null);
        assertThat(stream.hasNextAvailable(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        stream.nextAvailable();
        return stream;
    }

    @Test
    void wakesEveryProcessorWhenTheHeadCannotBeRead() {
        // given: a stream at the head, and a database that fails
        source = new ProcessorEventSource(eventStore, () -> {
            throw new IllegalStateException("database unreachable");
        }, Duration.ofMillis(5), Duration.ofHours(1));
        BlockingStream<TrackedEventMessage<?>> stream = source.openStream(null);

        // when
        stream.setOnAvailableCallback(wakeUps::incrementAndGet);

        // then: each processor looks for itself (and meets the error there), the ticks go on
        await().atMost(Duration.ofSeconds(5)).until(() -> wakeUps.get() > 2);
    }

    @Test
    void withoutAnIntervalItTellsTheProcessorToPollAsWithTheBareEventStore() {
        // given
        source = new ProcessorEventSource(eventStore, head::get, Duration.ZERO, Duration.ofHours(1));

        // when
        boolean callbacksSupported = source.openStream(null).setOnAvailableCallback(wakeUps::incrementAndGet);

        // then
        assertThat(callbacksSupported).isFalse();
    }

    @Test
    void aClosedStreamIsNoLongerWoken() {
        // given
        source = new ProcessorEventSource(eventStore, head::get, Duration.ofMillis(5), Duration.ofHours(1));
        BlockingStream<TrackedEventMessage<?>> stream = source.openStream(null);
        stream.setOnAvailableCallback(wakeUps::incrementAndGet);

        // when
        stream.close();
        head.set(10);

        // then
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> wakeUps.get() == 0);
    }
}
