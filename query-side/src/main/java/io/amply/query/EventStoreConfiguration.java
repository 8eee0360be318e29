package io.amply.query;

import io.amply.db.AxonSchemas;
import io.amply.db.GapsAsOneArray;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

/**
 * How the query side reads the event store. The command side appends from another process, so
 * nothing tells this one about new events: it polls. Axon's defaults (a 1-second pause once caught
 * up, 100 events per read) keep the ledger and Kafka about a second behind and cap how fast they
 * can catch up; these are the two knobs, measured in docs/benchmarks.md.
 * <p>
 * Gaps: how long an index read past is looked for again is the commit deadline's business
 * ({@link AxonSchemas#GAP_TIMEOUT_MS}), as on the command side.
 */
@Configuration(proxyBeanMethods = false)
class EventStoreConfiguration {

    @Bean
    EventStorageEngine eventStorageEngine(Serializer serializer, @Qualifier("eventSerializer") Serializer eventSerializer,
                                          PersistenceExceptionResolver persistenceExceptionResolver,
                                          ConnectionProvider connectionProvider, TransactionManager transactionManager,
                                          EventSchema eventSchema,
                                          @Value("${amply.eventstore.batch-size:500}") int batchSize) {
        // no upcasters yet: when an event gets a second revision, add its upcaster chain here
        return JdbcEventStorageEngine.builder()
                .snapshotSerializer(serializer)
                .eventSerializer(eventSerializer)
                .persistenceExceptionResolver(persistenceExceptionResolver)
                .connectionProvider(connectionProvider)
                .transactionManager(transactionManager)
                .schema(eventSchema)
                .batchSize(batchSize)
                .gapTimeout(AxonSchemas.GAP_TIMEOUT_MS)
                .maxGapOffset(AxonSchemas.MAX_GAP_OFFSET)
                .readEventDataWithGaps(GapsAsOneArray::readEventDataWithGaps)
                .build();
    }

    @Bean
    EmbeddedEventStore eventStore(EventStorageEngine eventStorageEngine,
                                  @Value("${amply.eventstore.fetch-delay:PT0.05S}") Duration fetchDelay) {
        return EmbeddedEventStore.builder()
                .storageEngine(eventStorageEngine)
                .fetchDelay(fetchDelay.toMillis()) // milliseconds
                .build();
    }
}
