package io.amply.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.amply.events.Visibility;
import io.amply.events.donation.DonationReceivedEvent;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import org.axonframework.common.jdbc.UnitOfWorkAwareConnectionProviderWrapper;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.PostgresEventTableFactory;
import org.axonframework.eventsourcing.eventstore.jpa.JpaEventStorageEngine;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.serialization.json.JacksonSerializer;
import org.hibernate.boot.model.TypeContributions;
import org.hibernate.dialect.PostgreSQLDialect;
import org.hibernate.service.ServiceRegistry;
import org.hibernate.type.SqlTypes;
import org.hibernate.type.descriptor.jdbc.BinaryJdbcType;

import java.sql.Connection;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Axon's two event stores on the same PostgreSQL, for the choice issue 3 asks to be measured: the
 * JDBC engine (what Amply runs), the JPA engine with Hibernate as it maps Axon's entities (payloads
 * as large objects, {@code oid}), and the JPA engine with the {@code bytea} dialect Axon's guide
 * recommends for PostgreSQL. Each appends the same events from the same threads (one transaction
 * per donation: three events of one new aggregate), then reads every event back as a processor's
 * stream does. Each round runs every engine, each in a schema of its own made fresh, starting with
 * the next engine each round; the first round warms the JVM and is not a measurement.
 *
 * <pre>
 * java -jar target/event-store-bench.jar --url=jdbc:postgresql://localhost:55432/amply --user=amply_admin \
 *      --password=… [--threads=8] [--donations=4000] [--rounds=3]
 * </pre>
 */
public final class EventStoreEngines {

    private static final JacksonSerializer SERIALIZER = JacksonSerializer.builder()
            .objectMapper(new ObjectMapper().registerModule(new JavaTimeModule())).build();

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            String[] pair = arg.replaceFirst("^--", "").split("=", 2);
            options.put(pair[0], pair.length > 1 ? pair[1] : "true");
        }
        String url = options.getOrDefault("url", "jdbc:postgresql://localhost:55432/amply");
        int threads = Integer.parseInt(options.getOrDefault("threads", "8"));
        int donations = Integer.parseInt(options.getOrDefault("donations", "4000"));
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
        System.out.printf("threads=%d donations=%d (3 events each) rounds=%d%n", threads, donations, rounds);
        for (int round = 1; round <= rounds; round++) {
            // each round starts with the next engine, so that none is always the first (or the last) on a drifting machine
            List<String> engines = new ArrayList<>(List.of("jdbc", "jpa_oid", "jpa_bytea"));
            java.util.Collections.rotate(engines, -(round - 1));
            for (String engine : engines) {
                try (HikariDataSource dataSource = dataSource(url, options, engine, threads)) {
                    fresh(dataSource, engine);
                    Engine store = engine.equals("jdbc") ? jdbc(dataSource) : jpa(dataSource, engine.equals("jpa_bytea"));
                    try {
                        run(round, engine, store, threads, donations);
                    } finally {
                        store.close();
                    }
                }
            }
        }
    }

    /** An engine, how to run a transaction of it, and what to close after. */
    private record Engine(EventStorageEngine storage, TransactionManager transactions, AutoCloseable resources) {
        void close() throws Exception {
            if (resources != null) {
                resources.close();
            }
        }
    }

    private static void run(int round, String name, Engine engine, int threads, int donations) throws Exception {
        // append: one unit of work and transaction per donation, as the command side records one
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicLong next = new AtomicLong();
        long started = System.nanoTime();
        List<Future<?>> work = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            work.add(pool.submit(() -> {
                for (long i = next.getAndIncrement(); i < donations; i = next.getAndIncrement()) {
                    List<DomainEventMessage<?>> events = donation(i);
                    UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
                    unitOfWork.attachTransaction(engine.transactions());
                    unitOfWork.execute(() -> engine.storage().appendEvents(events));
                }
                return null;
            }));
        }
        for (Future<?> future : work) {
            future.get();
        }
        double appendSeconds = (System.nanoTime() - started) / 1e9;
        pool.shutdown();

        // read: every event from the start, as a tracking processor streams them
        started = System.nanoTime();
        long[] read = {0};
        engine.transactions().executeInTransaction(() ->
                engine.storage().readEvents(null, false).forEach(event -> {
                    event.getPayload(); // deserialized, as a handler needs it
                    read[0]++;
                }));
        double readSeconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("round %d %-9s append %7.0f donations/s (%.2f s)   read %8.0f events/s (%d events, %.2f s)%n",
                round, name, donations / appendSeconds, appendSeconds, read[0] / readSeconds, read[0], readSeconds);
    }

    private static List<DomainEventMessage<?>> donation(long i) {
        String id = "don_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        DonationReceivedEvent received = new DonationReceivedEvent(id, "org_bench" + (i % 50), "fund_bench" + (i % 50), null,
                2500, "GBP", 30, "bank", "bank_transfer", "BACS " + i, Visibility.public_full, null, null);
        List<DomainEventMessage<?>> events = new ArrayList<>();
        for (int sequence = 0; sequence < 3; sequence++) {
            events.add(new GenericDomainEventMessage<>("Donation", id, sequence, received));
        }
        return events;
    }

    private static Engine jdbc(HikariDataSource dataSource) {
        JdbcEventStorageEngine engine = JdbcEventStorageEngine.builder()
                .connectionProvider(new UnitOfWorkAwareConnectionProviderWrapper(dataSource::getConnection))
                .transactionManager(NoTransactionManager.INSTANCE)
                .eventSerializer(SERIALIZER).snapshotSerializer(SERIALIZER)
                .build();
        engine.createSchema(PostgresEventTableFactory.INSTANCE);
        // the connection wrapper commits with the unit of work
        return new Engine(engine, NoTransactionManager.INSTANCE, null);
    }

    private static Engine jpa(HikariDataSource dataSource, boolean bytea) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("jakarta.persistence.nonJtaDataSource", dataSource);
        properties.put("hibernate.hbm2ddl.auto", "create");
        if (bytea) {
            properties.put("hibernate.dialect", ByteaPostgreSQLDialect.class.getName());
        }
        EntityManagerFactory factory = Persistence.createEntityManagerFactory("axon-events", properties);
        ThreadLocal<EntityManager> current = new ThreadLocal<>();
        TransactionManager transactions = () -> {
            if (current.get() != null) { // the engine's own executeInTransaction, inside ours
                return NoTransactionManager.INSTANCE.startTransaction();
            }
            EntityManager entityManager = factory.createEntityManager();
            entityManager.getTransaction().begin();
            current.set(entityManager);
            return new Transaction() {
                public void commit() {
                    end(() -> entityManager.getTransaction().commit());
                }

                public void rollback() {
                    end(() -> entityManager.getTransaction().rollback());
                }

                private void end(Runnable outcome) {
                    try {
                        outcome.run();
                    } finally {
                        entityManager.close();
                        current.remove();
                    }
                }
            };
        };
        JpaEventStorageEngine engine = JpaEventStorageEngine.builder()
                .entityManagerProvider(current::get)
                .transactionManager(transactions)
                .eventSerializer(SERIALIZER).snapshotSerializer(SERIALIZER)
                .build();
        return new Engine(engine, transactions, factory::close);
    }

    /** The dialect Axon's reference guide gives for PostgreSQL: payloads as {@code bytea}, not large objects. */
    public static final class ByteaPostgreSQLDialect extends PostgreSQLDialect {
        @Override
        protected String columnType(int sqlTypeCode) {
            return sqlTypeCode == SqlTypes.BLOB ? "bytea" : super.columnType(sqlTypeCode);
        }

        @Override
        protected String castType(int sqlTypeCode) {
            return sqlTypeCode == SqlTypes.BLOB ? "bytea" : super.castType(sqlTypeCode);
        }

        @Override
        public void contributeTypes(TypeContributions typeContributions, ServiceRegistry serviceRegistry) {
            super.contributeTypes(typeContributions, serviceRegistry);
            typeContributions.getTypeConfiguration().getJdbcTypeRegistry().addDescriptor(Types.BLOB, BinaryJdbcType.INSTANCE);
        }
    }

    private static HikariDataSource dataSource(String url, Map<String, String> options, String schema, int threads) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url + (url.contains("?") ? "&" : "?") + "currentSchema=bench_" + schema);
        config.setUsername(options.getOrDefault("user", "amply_admin"));
        config.setPassword(options.get("password"));
        config.setMaximumPoolSize(threads + 2);
        return new HikariDataSource(config);
    }

    private static void fresh(HikariDataSource dataSource, String schema) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS bench_" + schema + " CASCADE");
            statement.execute("CREATE SCHEMA bench_" + schema);
        }
    }
}
