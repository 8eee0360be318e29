package io.amply.command;

import io.amply.events.OrganisationScoped;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Writes each organisation's event's organisation into its metadata ({@link OrganisationScoped#META_DATA_KEY})
 * as it is published, before it is stored. The query side's processors order an organisation's events by it
 * without reading the payload, so an event whose payload can no longer be read (a record changed without an
 * upcaster) is parked by the ledger as its organisation's, instead of failing every processor's every
 * segment where Axon asks which organisation it belongs to.
 */
@Component
class OrganisationMetaData implements MessageDispatchInterceptor<EventMessage<?>> {

    OrganisationMetaData(EventBus eventBus) {
        eventBus.registerDispatchInterceptor(this);
    }

    @Override
    public BiFunction<Integer, EventMessage<?>, EventMessage<?>> handle(List<? extends EventMessage<?>> messages) {
        return (index, message) -> message.getPayload() instanceof OrganisationScoped scoped
                ? message.andMetaData(Map.of(OrganisationScoped.META_DATA_KEY, scoped.organisationId()))
                : message;
    }
}
