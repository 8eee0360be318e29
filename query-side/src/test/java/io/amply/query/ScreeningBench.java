package io.amply.query;

import io.amply.events.OrganisationScoped;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventHandlerInvoker;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.MultiEventHandlerInvoker;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.eventhandling.async.SequencingPolicy;
import org.axonframework.messaging.Message;
import org.axonframework.serialization.SerializedMessage;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a pooled processor's coordinator pays to offer one event to the four segments it holds:
 * Axon's {@link MultiEventHandlerInvoker} against {@link ScreenOnceInvoker}, alternating in one JVM
 * (docs/benchmarks.md). The handlers are shaped like a read model's (seven event types, sequenced
 * by organisation). Two kinds of event: already deserialized, and as read from the event store
 * (JSON, deserialized by the first look; Axon's invoker and this one both deserialize each event
 * once, in its sequencing policy). Not a test: run it by hand, see docs/benchmarks.md for the command.
 */
final class ScreeningBench {

    record Initiated(String organisationId, long amount) implements OrganisationScoped {
    }

    record Received(String organisationId, long amount) implements OrganisationScoped {
    }

    record Fee(String organisationId, long amount) implements OrganisationScoped {
    }

    record Refunded(String organisationId, long amount) implements OrganisationScoped {
    }

    record Spent(String organisationId, long amount) implements OrganisationScoped {
    }

    record TransferredIn(String organisationId, long amount) implements OrganisationScoped {
    }

    record TransferredOut(String organisationId, long amount) implements OrganisationScoped {
    }

    record Renamed(String organisationId, String name) implements OrganisationScoped {
    }

    static final class ReadModel {
        long total;

        @EventHandler
        void on(Initiated e) {
            total += e.amount();
        }

        @EventHandler
        void on(Received e) {
            total += e.amount();
        }

        @EventHandler
        void on(Fee e) {
            total -= e.amount();
        }

        @EventHandler
        void on(Refunded e) {
            total -= e.amount();
        }

        @EventHandler
        void on(Spent e) {
            total -= e.amount();
        }

        @EventHandler
        void on(TransferredIn e) {
            total += e.amount();
        }

        @EventHandler
        void on(TransferredOut e) {
            total -= e.amount();
        }
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        @SuppressWarnings({"unchecked", "rawtypes"})
        SequencingPolicy<EventMessage<?>> organisations = (SequencingPolicy) new AxonStorageConfiguration().organisationSequencing();
        MultiEventHandlerInvoker axons = new MultiEventHandlerInvoker(
                SimpleEventHandlerInvoker.builder().eventHandlers(new ReadModel()).sequencingPolicy(organisations).build());
        ScreenOnceInvoker screened = new ScreenOnceInvoker(axons);
        List<Segment> four = Segment.splitBalanced(Segment.ROOT_SEGMENT, 3);
        List<EventMessage<?>> deserialized = events(200_000);
        Serializer json = JacksonSerializer.defaultSerializer();
        for (boolean stored : new boolean[] {false, true}) {
            String kind = stored ? "as read from the event store" : "deserialized";
            for (int warm = 0; warm < 3; warm++) {
                offer(axons, stored ? stored(deserialized, json) : deserialized, four);
                offer(screened, stored ? stored(deserialized, json) : deserialized, four);
            }
            double[] axon = new double[rounds];
            double[] once = new double[rounds];
            double[] ratio = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                axon[round] = offer(axons, stored ? stored(deserialized, json) : deserialized, four);
                once[round] = offer(screened, stored ? stored(deserialized, json) : deserialized, four);
                ratio[round] = axon[round] / once[round];
                System.out.printf("%s, round %d: Axon's invoker %.0f ns per event, screened %.0f ns, ratio %.2f%n",
                        kind, round + 1, axon[round], once[round], ratio[round]);
            }
            System.out.printf("%s, median of %d rounds: Axon's invoker %.0f ns per event, screened %.0f ns, ratio %.2f%n",
                    kind, rounds, median(axon), median(once), median(ratio));
        }
    }

    /** The same events as the event store hands them out: serialized, each deserialized when first looked at. */
    private static List<EventMessage<?>> stored(List<EventMessage<?>> events, Serializer serializer) {
        List<EventMessage<?>> stored = new ArrayList<>(events.size());
        for (EventMessage<?> event : events) {
            SerializedObject<byte[]> payload = serializer.serialize(event.getPayload(), byte[].class);
            SerializedObject<byte[]> metaData = serializer.serialize(event.getMetaData(), byte[].class);
            stored.add(new GenericEventMessage<>(new SerializedMessage<>(event.getIdentifier(), payload, metaData, serializer),
                    event::getTimestamp));
        }
        return stored;
    }

    /** Nanoseconds per event to offer every event to every segment, as the coordinator does. */
    private static double offer(EventHandlerInvoker invoker, List<EventMessage<?>> events, List<Segment> segments) {
        long taken = 0;
        long started = System.nanoTime();
        for (EventMessage<?> event : events) {
            for (Segment segment : segments) {
                if (invoker.canHandle(event, segment)) {
                    taken++;
                }
            }
        }
        long elapsed = System.nanoTime() - started;
        if (taken < events.size() * 7L / 8 - 1) { // every event but the renames is taken by exactly one segment
            throw new IllegalStateException("taken " + taken + " of " + events.size());
        }
        return (double) elapsed / events.size();
    }

    private static List<EventMessage<?>> events(int count) {
        List<EventMessage<?>> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String organisation = "org_" + (i % 50);
            Object payload = switch (i % 8) {
                case 0 -> new Initiated(organisation, i);
                case 1 -> new Received(organisation, i);
                case 2 -> new Fee(organisation, 3);
                case 3 -> new Refunded(organisation, 1);
                case 4 -> new Spent(organisation, 2);
                case 5 -> new TransferredIn(organisation, 5);
                case 6 -> new TransferredOut(organisation, 5);
                default -> new Renamed(organisation, "Name " + i);
            };
            Message<?> message = GenericEventMessage.asEventMessage(payload);
            events.add((EventMessage<?>) message);
        }
        return events;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }
}
