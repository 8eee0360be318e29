package io.amply.query.kafka;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * Whether the topics {@link EventTopics} declares exist. Spring's {@code KafkaAdmin} creates them
 * once, at start-up, and goes on without them if the broker is unreachable then: the first record
 * sent would have the broker create its topic with the broker's own defaults (one partition, say,
 * and a later increase would move organisations to other partitions, out of order), or fail until
 * a restart. So no publisher sends before they are made: each asks here first, and while they are
 * not, the admin client tries again at most once per {@code amply.kafka.topics-retry-interval}.
 */
@Component
public class TopicsCreated {

    private static final Logger log = LoggerFactory.getLogger(TopicsCreated.class);

    /** Spring's {@code KafkaAdmin.initialize()}: idempotent, describes the topics and creates the missing ones. */
    private final BooleanSupplier makeTopics;
    private final Duration retryInterval;
    private final Clock clock;
    private volatile boolean created;
    private Instant nextAttempt = Instant.MIN;

    @Autowired
    TopicsCreated(KafkaAdmin admin, @Value("${amply.kafka.topics-retry-interval:PT10S}") Duration retryInterval) {
        this(admin::initialize, retryInterval, Clock.systemUTC());
    }

    /** With what makes the topics (false when the broker did not answer) and the clock the retries are timed by (tests). */
    public TopicsCreated(BooleanSupplier makeTopics, Duration retryInterval, Clock clock) {
        this.makeTopics = makeTopics;
        this.retryInterval = retryInterval;
        this.clock = clock;
    }

    /** Returns once the topics exist (made now if need be); else throws, and the caller's send waits for a retry. */
    public void require() {
        if (created) {
            return;
        }
        synchronized (this) {
            if (!created && !clock.instant().isBefore(nextAttempt)) {
                created = makeTopics.getAsBoolean();
                nextAttempt = clock.instant().plus(retryInterval);
                if (created) {
                    log.info("Kafka topics are in place; publishing");
                }
            }
            if (!created) {
                throw new IllegalStateException("the Kafka topics could not be created or checked yet (is the broker "
                        + "reachable?); nothing is sent until they are, tried again every " + retryInterval.toSeconds() + " s");
            }
        }
    }
}
