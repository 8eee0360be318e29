package io.amply.query;

import io.amply.db.AxonSchemas;
import io.amply.events.OrganisationScoped;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.eventhandling.async.PropertySequencingPolicy;
import org.axonframework.eventhandling.async.SequencingPolicy;
import org.axonframework.eventhandling.async.SequentialPerAggregatePolicy;
import org.axonframework.eventhandling.deadletter.jdbc.DeadLetterSchema;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jpa.SQLStateResolver;
import org.axonframework.messaging.Message;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Axon's JDBC stores on the tables Flyway made, and the per-organisation ordering. */
@Configuration(proxyBeanMethods = false)
class AxonStorageConfiguration {

    @Bean
    EventSchema eventSchema() {
        return AxonSchemas.events();
    }

    @Bean
    TokenSchema tokenSchema() {
        return AxonSchemas.tokens();
    }

    @Bean
    DeadLetterSchema deadLetterSchema() {
        return AxonSchemas.deadLetters();
    }

    @Bean
    PersistenceExceptionResolver persistenceExceptionResolver() {
        return new SQLStateResolver("23505");
    }

    /**
     * Events of one organisation are handled in order, by one thread at a time: the ledger's chain
     * and the Kafka topics' per-key order depend on it. Named in application.yml per processor.
     * <p>
     * The organisation is read from the event's metadata ({@link OrganisationScoped#META_DATA_KEY},
     * written by the command side since 2026-11-29), not from its payload: Axon asks for it in each
     * processor's coordinator, before any handler, and an event whose payload could not be read failed
     * there, every segment of every processor, for ever; now it fails in its handler, where the ledger
     * parks it as its organisation's (PoisonEventIT). Events stored before carry no such entry and are
     * sequenced by their payload, as before.
     */
    @Bean
    @SuppressWarnings({"unchecked", "rawtypes"})
    SequencingPolicy<Message<?>> organisationSequencing() {
        SequencingPolicy<Message<?>> byPayload = (SequencingPolicy) PropertySequencingPolicy.builder(OrganisationScoped.class, String.class)
                .propertyExtractor(OrganisationScoped::organisationId)
                .fallbackSequencingPolicy(SequentialPerAggregatePolicy.instance())
                .build();
        return message -> message.getMetaData().get(OrganisationScoped.META_DATA_KEY) instanceof String organisationId
                ? organisationId : byPayload.getSequenceIdentifierFor(message);
    }
}
