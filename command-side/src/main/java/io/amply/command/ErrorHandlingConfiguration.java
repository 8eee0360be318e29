package io.amply.command;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * An event handler that fails must never be skipped silently (Axon's default only logs): the
 * failure propagates, so a subscribing handler rolls back the command's transaction and a
 * streaming processor retries the batch (or, where a dead-letter queue is configured, parks
 * the event and holds back its sequence).
 */
@Configuration(proxyBeanMethods = false)
class ErrorHandlingConfiguration {

    @Bean
    ConfigurerModule propagateHandlerErrors() {
        return configurer -> configurer.eventProcessing()
                .registerDefaultListenerInvocationErrorHandler(c -> PropagatingErrorHandler.instance());
    }
}
