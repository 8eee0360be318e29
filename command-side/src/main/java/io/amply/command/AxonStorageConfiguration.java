package io.amply.command;

import io.amply.command.web.AppendedPositions;
import io.amply.db.AxonSchemas;
import io.amply.db.GapsAsOneArray;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jpa.SQLStateResolver;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Axon's JDBC stores on the tables Flyway made (see db-migrations' V2__axon_tables.sql). */
@Configuration(proxyBeanMethods = false)
class AxonStorageConfiguration {

    @Bean
    EventSchema eventSchema() {
        return AxonSchemas.events();
    }

    /**
     * Axon's JDBC event store as its Spring Boot starter builds it, but its append returns each
     * event's global index ({@link AppendedPositions}). Not with Axon Server, which stores the events.
     */
    @Bean
    @ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "false")
    EventStorageEngine eventStorageEngine(Serializer defaultSerializer, PersistenceExceptionResolver persistenceExceptionResolver,
                                          @Qualifier("eventSerializer") Serializer eventSerializer,
                                          org.axonframework.config.Configuration configuration,
                                          ConnectionProvider connectionProvider, TransactionManager transactionManager,
                                          EventSchema eventSchema) {
        return JdbcEventStorageEngine.builder()
                .snapshotSerializer(defaultSerializer)
                .upcasterChain(configuration.upcasterChain())
                .persistenceExceptionResolver(persistenceExceptionResolver)
                .eventSerializer(eventSerializer)
                .snapshotFilter(configuration.snapshotFilter())
                .connectionProvider(connectionProvider)
                .transactionManager(transactionManager)
                .schema(eventSchema)
                .appendEvents(AppendedPositions::appendEvents)
                .gapTimeout(AxonSchemas.GAP_TIMEOUT_MS) // as the query side's: this side's processors subscribe today, none tracks
                .maxGapOffset(AxonSchemas.MAX_GAP_OFFSET)
                .readEventDataWithGaps(GapsAsOneArray::readEventDataWithGaps)
                .build();
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
