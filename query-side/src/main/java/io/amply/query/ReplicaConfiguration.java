package io.amply.query;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.time.Duration;

/**
 * Two databases: projections and the event store on the primary (as {@code amply_app}), and
 * every read served to clients from the streaming replica (as {@code amply_readonly}).
 */
@Configuration(proxyBeanMethods = false)
class ReplicaConfiguration {

    @Bean
    @Primary
    @ConfigurationProperties("spring.datasource")
    DataSourceProperties primaryDataSourceProperties() {
        return new DataSourceProperties();
    }

    @Bean
    @Primary
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(DataSourceProperties primaryDataSourceProperties) {
        return primaryDataSourceProperties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
    }

    @Bean
    @ConfigurationProperties("amply.replica.datasource")
    DataSourceProperties replicaDataSourceProperties() {
        return new DataSourceProperties();
    }

    @Bean
    @ConfigurationProperties("amply.replica.datasource.hikari")
    HikariDataSource replicaDataSource(@Qualifier("replicaDataSourceProperties") DataSourceProperties properties) {
        HikariDataSource dataSource = properties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
        dataSource.setReadOnly(true);
        return dataSource;
    }

    @Bean
    @Primary
    JdbcTemplate jdbcTemplate(DataSource dataSource) {
        return new JdbcTemplate(dataSource);
    }

    @Bean
    @Primary
    DataSourceTransactionManager transactionManager(DataSource dataSource) {
        return new DataSourceTransactionManager(dataSource);
    }

    /**
     * The publishers' wait for the replica ({@link ReplicaCatchUp}), its looks through a pool of two connections of
     * its own whose sockets time out: a replica cut off by the network holds no publisher for longer than that.
     */
    @Bean
    ReplicaCatchUp replicaCatchUp(JdbcTemplate primary, @Qualifier("replicaCatchUpDataSource") DataSource looks,
                                  @Value("${amply.publishing.await-replica:true}") boolean enabled,
                                  @Value("${amply.publishing.replica-wait:PT5S}") Duration wait) {
        JdbcTemplate replica = new JdbcTemplate(looks);
        replica.setQueryTimeout(2);
        return new ReplicaCatchUp(primary, replica, enabled, wait);
    }

    @Bean
    HikariDataSource replicaCatchUpDataSource(@Qualifier("replicaDataSourceProperties") DataSourceProperties properties) {
        HikariDataSource looks = new HikariDataSource(); // connects on first use: a replica down does not stop the start
        looks.setPoolName("amply-replica-catch-up");
        looks.setJdbcUrl(properties.determineUrl());
        looks.setUsername(properties.determineUsername());
        looks.setPassword(properties.determinePassword());
        looks.setReadOnly(true);
        looks.setMaximumPoolSize(2);
        looks.setMinimumIdle(0);
        looks.setConnectionTimeout(2_000);
        looks.setInitializationFailTimeout(-1); // a replica down at the start: each look fails alone, no pool rebuilt
        looks.addDataSourceProperty("connectTimeout", "2");
        looks.addDataSourceProperty("socketTimeout", "3");
        looks.addDataSourceProperty("tcpKeepAlive", "true");
        return looks;
    }

    @Bean
    Replica replica(@Qualifier("replicaDataSource") DataSource replicaDataSource) {
        DataSourceTransactionManager transactions = new DataSourceTransactionManager(replicaDataSource);
        TransactionTemplate template = new TransactionTemplate(transactions);
        template.setReadOnly(true);
        return new Replica(new JdbcTemplate(replicaDataSource), template);
    }
}
