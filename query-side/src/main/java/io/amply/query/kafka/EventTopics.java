package io.amply.query.kafka;

import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

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

    @Bean
    NewTopic organisationEvents(@Value("${amply.kafka.partitions:6}") int partitions,
                                @Value("${amply.kafka.replication-factor:1}") short replicas) {
        return TopicBuilder.name(PREFIX + "organisation").partitions(partitions).replicas(replicas).build();
    }

    @Bean
    NewTopic fundEvents(@Value("${amply.kafka.partitions:6}") int partitions,
                        @Value("${amply.kafka.replication-factor:1}") short replicas) {
        return TopicBuilder.name(PREFIX + "fund").partitions(partitions).replicas(replicas).build();
    }

    @Bean
    NewTopic donationEvents(@Value("${amply.kafka.partitions:6}") int partitions,
                            @Value("${amply.kafka.replication-factor:1}") short replicas) {
        return TopicBuilder.name(PREFIX + "donation").partitions(partitions).replicas(replicas).build();
    }
}
