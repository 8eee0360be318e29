package io.amply.local;

import io.amply.command.CommandSideApplication;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.axonserver.connector.command.AxonServerCommandBus;
import org.axonframework.axonserver.connector.event.axon.AxonServerEventStore;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.Arrays;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Axon Server is the alternative event store and command bus, chosen by configuration alone.
 * No Axon Server runs here, so this checks the wiring (which beans the application gets), not a
 * round trip through a server.
 */
class AxonServerSwitchIT {

    @Test
    void byDefaultTheEventStoreIsPostgres() {
        TestStack.Apps apps = TestStack.get().apps();
        assertThat(apps.command().getBean(EventStore.class)).isInstanceOf(EmbeddedEventStore.class);
        assertThat(apps.command().getBean(CommandBus.class)).isNotInstanceOf(AxonServerCommandBus.class);
        assertThat(batchLimit(apps.command())).isEqualTo(50);
    }

    @Test
    void axonServerEnabledSwitchesTheEventStoreAndTheCommandBus() {
        // given
        TestStack stack = TestStack.get();
        String[] arguments = Stream.concat(
                Arrays.stream(AmplyLocal.sideArguments(TestStack.freePort(), TestStack.freePort(), stack.postgres, stack.kafka, TestStack.SECRETS)),
                Stream.of("--axon.axonserver.enabled=true", "--axon.axonserver.servers=localhost:" + TestStack.freePort(),
                        "--axon.axonserver.connect-timeout=100", "--axon.axonserver.force-connect-timeout=100"))
                .toArray(String[]::new);

        // when
        try (ConfigurableApplicationContext command = CommandSideApplication.application().registerShutdownHook(false)
                .run(arguments)) {
            // then
            assertThat(command.getBean(EventStore.class)).isInstanceOf(AxonServerEventStore.class);
            assertThat(command.getBean(CommandBus.class)).isInstanceOf(AxonServerCommandBus.class);
            // its handlers commit each command on their own: a rolled-back batch would be recorded twice
            assertThat(batchLimit(command)).isEqualTo(1);
        }
    }

    private static double batchLimit(ConfigurableApplicationContext command) {
        return command.getBean(MeterRegistry.class).get("amply.donations.batch.limit").gauge().value();
    }
}
