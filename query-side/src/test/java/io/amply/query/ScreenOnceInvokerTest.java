package io.amply.query;

import io.amply.events.OrganisationScoped;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventHandlerInvoker;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventMessageHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.GenericTrackedEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.MultiEventHandlerInvoker;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.async.SequencingPolicy;
import org.axonframework.eventhandling.deadletter.DeadLetteringEventHandlerInvoker;
import org.axonframework.messaging.deadletter.GenericDeadLetter;
import org.axonframework.messaging.deadletter.InMemorySequencedDeadLetterQueue;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.axonframework.common.transaction.NoTransactionManager;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class ScreenOnceInvokerTest {

    record Given(String organisationId, long amount) implements OrganisationScoped {
    }

    record Spent(String organisationId, long amount) implements OrganisationScoped {
    }

    record Renamed(String organisationId, String name) implements OrganisationScoped {
    }

    /** Takes money events, replays included. */
    static final class Totals {
        final List<Object> seen = new ArrayList<>();

        @EventHandler
        void on(Given given) {
            seen.add(given);
        }

        @EventHandler
        void on(Spent spent) {
            seen.add(spent);
        }
    }

    /**
     * Takes gifts, and cannot be reset (a handler that sends mail, say): Axon's invoker offers it no
     * replayed event. (An annotated handler with {@code @DisallowReplay} refuses replays itself.)
     */
    static final class Thanks implements EventMessageHandler {
        final List<Object> seen = new ArrayList<>();

        @Override
        public Object handle(EventMessage<?> event) {
            seen.add(event.getPayload());
            return null;
        }

        @Override
        public boolean canHandle(EventMessage<?> event) {
            return event.getPayload() instanceof Given;
        }

        @Override
        public boolean supportsReset() {
            return false;
        }
    }

    private final AtomicInteger sequenceLookups = new AtomicInteger();
    @SuppressWarnings("unchecked")
    private final SequencingPolicy<EventMessage<?>> organisations = event -> {
        sequenceLookups.incrementAndGet();
        return ((SequencingPolicy<EventMessage<?>>) (SequencingPolicy<?>) new AxonStorageConfiguration().organisationSequencing())
                .getSequenceIdentifierFor(event);
    };

    private MultiEventHandlerInvoker axons(Totals totals, Thanks thanks) {
        return new MultiEventHandlerInvoker(
                SimpleEventHandlerInvoker.builder().eventHandlers(totals).sequencingPolicy(organisations).build(),
                SimpleEventHandlerInvoker.builder().eventHandlers(thanks).sequencingPolicy(organisations).build());
    }

    private static List<EventMessage<?>> events() {
        List<EventMessage<?>> events = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String organisation = "org_" + i;
            EventMessage<?> given = GenericEventMessage.asEventMessage(new Given(organisation, 100 + i));
            events.add(given);
            events.add(replayed(given, i));
            events.add(GenericEventMessage.asEventMessage(new Spent(organisation, 5)));
            events.add(GenericEventMessage.asEventMessage(new Renamed(organisation, "Name " + i)));
        }
        events.add(GenericEventMessage.asEventMessage("no organisation: sequenced by its identifier"));
        return events;
    }

    private static TrackedEventMessage<?> replayed(EventMessage<?> event, long position) {
        TrackedEventMessage<?> replayed = new GenericTrackedEventMessage<>(ReplayToken.createReplayToken(
                new GlobalSequenceTrackingToken(1_000), new GlobalSequenceTrackingToken(position)), event);
        assertThat(ReplayToken.isReplay(replayed)).isTrue();
        return replayed;
    }

    private static List<Segment> segments() {
        List<Segment> segments = new ArrayList<>(List.of(Segment.ROOT_SEGMENT));
        for (int count : new int[] {2, 3, 4, 8}) { // three: segments of unequal size, as after one split
            segments.addAll(Segment.splitBalanced(Segment.ROOT_SEGMENT, count - 1));
        }
        return segments;
    }

    @Test
    void answersEveryEventInEverySegmentAsAxonsInvokerDoes() {
        // given
        MultiEventHandlerInvoker axons = axons(new Totals(), new Thanks());
        ScreenOnceInvoker screened = new ScreenOnceInvoker(axons);

        for (EventMessage<?> event : events()) {
            for (Segment segment : segments()) {
                // when
                boolean answer = screened.canHandle(event, segment);

                // then
                assertThat(answer).as("%s in %s", event.getPayload(), segment).isEqualTo(axons.canHandle(event, segment));
            }
        }
    }

    @Test
    void handsEachEventToTheSameHandlersAsAxonsInvokerDoes() throws Exception {
        // given
        Totals totals = new Totals();
        Thanks thanks = new Thanks();
        ScreenOnceInvoker screened = new ScreenOnceInvoker(axons(totals, thanks));
        Totals axonsTotals = new Totals();
        Thanks axonsThanks = new Thanks();
        MultiEventHandlerInvoker axons = axons(axonsTotals, axonsThanks);
        List<Segment> four = Segment.splitBalanced(Segment.ROOT_SEGMENT, 3);

        // when
        for (EventMessage<?> event : events()) {
            for (Segment segment : four) {
                screened.handle(event, segment);
                axons.handle(event, segment);
            }
        }

        // then: each gift and spending once (one segment of four holds each organisation), replays not thanked
        assertThat(totals.seen).hasSize(120).isEqualTo(axonsTotals.seen);
        assertThat(thanks.seen).hasSize(40).isEqualTo(axonsThanks.seen);
    }

    @Test
    void looksAtAnEventOnceForAllTheSegmentsItIsAskedAbout() {
        // given
        ScreenOnceInvoker screened = new ScreenOnceInvoker(axons(new Totals(), new Thanks()));
        EventMessage<?> given = GenericEventMessage.asEventMessage(new Given("org_1", 100));
        List<Segment> four = Segment.splitBalanced(Segment.ROOT_SEGMENT, 3);

        // when: a coordinator holding four segments offers the event to each
        four.forEach(segment -> screened.canHandle(given, segment));

        // then: one look per invoker that takes it, not one per invoker and segment (Axon's 8)
        assertThat(sequenceLookups).hasValue(2);
    }

    @Test
    void aReleasedSegmentClaimedBackSeesWhatAnotherNodeParkedMeanwhile() throws Exception {
        // given: the ledger's kind of invoker, a dead-letter queue with its cache, which has handled
        // an event of org_1 in a segment while the queue was empty
        SequencedDeadLetterQueue<EventMessage<?>> queue = InMemorySequencedDeadLetterQueue.defaultQueue();
        Totals totals = new Totals();
        ScreenOnceInvoker screened = new ScreenOnceInvoker(new MultiEventHandlerInvoker(DeadLetteringEventHandlerInvoker.builder()
                .eventHandlers(totals).sequencingPolicy(organisations).queue(queue)
                .transactionManager(NoTransactionManager.instance()).enableSequenceIdentifierCache().build()));
        Segment segment = Segment.ROOT_SEGMENT;
        screened.handle(GenericEventMessage.asEventMessage(new Given("org_1", 100)), segment);

        // when: the segment is released, another node parks an event of org_1, and the segment comes back
        screened.segmentReleased(segment);
        EventMessage<?> poison = GenericEventMessage.asEventMessage(new Given("org_1", 200));
        queue.enqueue("org_1", new GenericDeadLetter<>("org_1", poison));
        screened.handle(GenericEventMessage.asEventMessage(new Spent("org_1", 50)), segment);

        // then: the later event waits behind the parked one instead of being handled out of order
        assertThat(totals.seen).containsExactly(new Given("org_1", 100));
        assertThat(queue.sequenceSize("org_1")).isEqualTo(2);
    }

    @Test
    void leavesInvokersItCannotLookIntoToAxon() throws Exception {
        // given: not a SimpleEventHandlerInvoker (a saga manager's, say)
        List<Segment> asked = new ArrayList<>();
        EventHandlerInvoker other = new EventHandlerInvoker() {
            @Override
            public boolean canHandle(EventMessage<?> eventMessage, Segment segment) {
                asked.add(segment);
                return segment.getSegmentId() == 1;
            }

            @Override
            public void handle(EventMessage<?> message, Segment segment) {
                asked.add(segment);
            }
        };
        ScreenOnceInvoker screened = new ScreenOnceInvoker(new MultiEventHandlerInvoker(
                SimpleEventHandlerInvoker.builder().eventHandlers(new Totals()).build(), other));
        EventMessage<?> renamed = GenericEventMessage.asEventMessage(new Renamed("org_1", "Name"));
        Segment[] two = Segment.ROOT_SEGMENT.split();

        // when
        boolean first = screened.canHandle(renamed, two[0]);
        boolean second = screened.canHandle(renamed, two[1]);
        screened.handle(renamed, two[1]);

        // then: every question reached it, as Axon's invoker asks them (handling asks again first)
        assertThat(first).isFalse();
        assertThat(second).isTrue();
        assertThat(asked).containsExactly(two[0], two[1], two[1], two[1]);
    }
}
