package io.amply.local;

import org.axonframework.messaging.timeout.HandlerTimeoutHandlerEnhancerDefinition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Axon's handler timeouts are off on both sides: in Axon 4.13.0 they take a stack trace at the
 * start of every handler (AxonFramework#4637), a sixth of a command's CPU (docs/benchmarks.md).
 * Upgrading to a release with the fix is the time to switch them back on.
 */
class HandlerTimeoutsIT {

    @Test
    void neitherSideWrapsItsHandlersInAxonsTimeouts() {
        TestStack.Apps apps = TestStack.get().apps();
        assertThat(apps.command().getBeansOfType(HandlerTimeoutHandlerEnhancerDefinition.class)).isEmpty();
        assertThat(apps.query().getBeansOfType(HandlerTimeoutHandlerEnhancerDefinition.class)).isEmpty();
    }
}
