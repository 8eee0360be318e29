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
     */
    @Bean
    @SuppressWarnings({"unchecked", "rawtypes"})
    SequencingPolicy<Message<?>> organisationSequencing() {
        return (SequencingPolicy) PropertySequencingPolicy.builder(OrganisationScoped.class, String.class)
                .propertyExtractor(OrganisationScoped::organisationId)
                .fallbackSequencingPolicy(SequentialPerAggregatePolicy.instance())
                .build();
    }
}
