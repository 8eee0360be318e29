package io.amply.query;

import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import java.util.List;

/**
 * The read models and the Kafka publisher commit without waiting for their WAL to reach the disk
 * ({@code synchronous_commit = off} for their transactions only). Nothing is put at risk: each
 * commits its rows and its processor's token in one transaction, and PostgreSQL loses such
 * transactions only from the end and whole, so after a crash the processor handles those last
 * events again. The events themselves (the command side) and the ledger keep synchronous commits.
 * What it saves is a disk flush per batch per processor: five read models and the publisher each
 * flushing for every trickle of events queued behind the command side's own flushes
 * (docs/benchmarks.md).
 */
@Configuration(proxyBeanMethods = false)
class ProcessorCommitConfiguration {

    @Bean
    ConfigurerModule asynchronousProcessorCommits(
            @Value("${amply.processors.asynchronous-commit:}") List<String> groups,
            PlatformTransactionManager transactions, JdbcTemplate jdbc) {
        TransactionManager spring = new SpringTransactionManager(transactions);
        TransactionManager asynchronous = () -> {
            Transaction transaction = spring.startTransaction();
            jdbc.execute("SET LOCAL synchronous_commit TO off");
            return transaction;
        };
        return configurer -> groups.stream().map(String::trim).filter(g -> !g.isEmpty()).forEach(group ->
                configurer.eventProcessing().registerTransactionManager(group, c -> asynchronous));
    }
}
