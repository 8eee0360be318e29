package io.amply.command;

import io.amply.db.AxonSchemas;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jpa.SQLStateResolver;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Axon's JDBC stores on the tables Flyway made (see db-migrations' V2__axon_tables.sql). */
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

    /**
     * PostgreSQL reports a unique violation as SQLState 23505, not as the JDBC subclass Axon's
     * default resolver looks for; without this a conflicting append would not be recognised as a
     * concurrency conflict (and retried).
     */
    @Bean
    PersistenceExceptionResolver persistenceExceptionResolver() {
        return new SQLStateResolver("23505");
    }
}
