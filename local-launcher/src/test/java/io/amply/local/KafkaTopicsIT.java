package io.amply.local;

import io.amply.query.kafka.TopicsCreated;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The query side's gate before every send (TopicsCreated) against a real broker: while the broker
 * does not answer, publishers are refused with why; once it answers, the topics are made with the
 * partitions the query side asks for, not left to the broker's auto-creation.
 */
class KafkaTopicsIT {

    private final TestStack stack = TestStack.get();

    @Test
    void publishersAreRefusedWhileTheBrokerDoesNotAnswerAndTheTopicsAreMadeOnceItDoes() throws Exception {
        String topic = "amply.test.topics-" + UUID.randomUUID();

        // given: the gate over an admin whose broker does not answer (a port nothing listens on)
        TopicsCreated unreachable = new TopicsCreated(admin("localhost:" + TestStack.freePort(), topic), Duration.ofSeconds(10));

        // when / then: refused, saying so, and not tried again at once (the next ask answers without waiting)
        assertThatThrownBy(unreachable::require).isInstanceOf(KafkaException.class)
                .hasMessageContaining("could not be created or checked");
        long started = System.nanoTime();
        assertThatThrownBy(unreachable::require).isInstanceOf(KafkaException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));

        // when: the same gate over the broker that answers
        new TopicsCreated(admin(stack.kafka.bootstrapServers(), topic), Duration.ofSeconds(10)).require();

        // then: the topic exists, with the partitions asked for (the broker's own default here is 6)
        try (Admin kafka = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka.bootstrapServers()))) {
            TopicDescription description = kafka.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            assertThat(description.partitions()).hasSize(3);
        }
    }

    /** Spring's admin as the query side has it, declaring one topic of three partitions. */
    private static KafkaAdmin admin(String bootstrapServers, String topic) {
        return new KafkaAdmin(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers)) {
            @Override
            protected Collection<NewTopic> newTopics() {
                return List.of(TopicBuilder.name(topic).partitions(3).replicas(1).build());
            }
        };
    }
}
