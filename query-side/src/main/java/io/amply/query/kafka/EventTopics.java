package io.amply.query.kafka;

import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

import java.util.List;

import java.util.Locale;

/**
 * Domain events go to one topic per aggregate family ({@code amply.events.<family>}), keyed by
 * organisation id so that each organisation's events keep their order (docs/kafka.md).
 */
@Configuration(proxyBeanMethods = false)
class EventTopics {

    static final String PREFIX = "amply.events.";

    /** The family of an event: the last package segment of its class, e.g. {@code donation}. */
    static String topicFor(Class<?> payloadType) {
        String pkg = payloadType.getPackageName();
        return PREFIX + pkg.substring(pkg.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    }

    /** One topic per aggregate family in shared-events. */
    static final List<String> FAMILIES = List.of("organisation", "fund", "donation", "project", "campaign", "business");

    @Bean
    KafkaAdmin.NewTopics domainEventTopics(@Value("${amply.kafka.partitions:6}") int partitions,
                                     @Value("${amply.kafka.replication-factor:1}") short replicas) {
        return new KafkaAdmin.NewTopics(FAMILIES.stream()
                .map(family -> TopicBuilder.name(PREFIX + family).partitions(partitions).replicas(replicas).build())
                .toArray(NewTopic[]::new));
    }

    /** Ledger entries and checkpoints, keyed by organisation like everything else. */
    @Bean
    KafkaAdmin.NewTopics ledgerTopics(@Value("${amply.kafka.partitions:6}") int partitions,
                                      @Value("${amply.kafka.replication-factor:1}") short replicas) {
        return new KafkaAdmin.NewTopics(
                TopicBuilder.name("amply.ledger.entries").partitions(partitions).replicas(replicas).build(),
                TopicBuilder.name("amply.checkpoints").partitions(partitions).replicas(replicas).build());
    }
}
