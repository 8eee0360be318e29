package io.amply.query;

import org.axonframework.config.Configuration;
import org.axonframework.config.EventProcessingConfigurer.PooledStreamingProcessorConfiguration;
import org.axonframework.config.EventProcessingModule;
import org.axonframework.eventhandling.EventHandlerInvoker;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.messaging.StreamableMessageSource;
import org.springframework.stereotype.Component;

/**
 * Axon's event processing module (the one its Spring Boot auto-configuration would otherwise
 * create), building every pooled processor exactly as Axon does but with its handlers behind a
 * {@link ScreenOnceInvoker}, so the coordinator looks at each event once rather than once per segment.
 */
@Component
class ScreeningEventProcessingModule extends EventProcessingModule {

    @Override
    protected EventProcessor pooledStreamingEventProcessor(String name, EventHandlerInvoker eventHandlerInvoker, Configuration config,
                                                           StreamableMessageSource<TrackedEventMessage<?>> messageSource,
                                                           PooledStreamingProcessorConfiguration processorConfiguration) {
        return super.pooledStreamingEventProcessor(name, new ScreenOnceInvoker(eventHandlerInvoker), config, messageSource,
                processorConfiguration);
    }
}
