package io.amply.query.kafka;

import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Whether the topics {@link EventTopics} declares exist. Spring's {@code KafkaAdmin} creates them
 * once, at start-up, and goes on without them if the broker is unreachable then: the first record
 * sent would have the broker create its topic with the broker's own defaults (one partition, say,
 * and a later increase would move organisations to other partitions, out of order), or fail until
 * a restart. So no publisher sends before they are made: each asks here first, and while they are
 * not, one of them tries again at most once per {@code amply.kafka.topics-retry-interval}, the others
 * are refused at once rather than wait for it (they ask again on their next round).
 */
@Component
public class TopicsCreated {

    private static final Logger log = LoggerFactory.getLogger(TopicsCreated.class);

    /** Spring's {@code KafkaAdmin.initialize()}: describes the topics and creates the missing ones; false or a throw when it could not. */
    private final BooleanSupplier makeTopics;
    private final Duration retryInterval;
    private final Clock clock;
    private final ReentrantLock attempt = new ReentrantLock();
    private volatile boolean created;
    private volatile Instant nextAttempt = Instant.MIN;
    private volatile String lastFailure = "not tried yet";

    @Autowired
    public TopicsCreated(KafkaAdmin admin, @Value("${amply.kafka.topics-retry-interval:PT10S}") Duration retryInterval) {
        this(bounded(admin)::initialize, retryInterval, Clock.systemUTC());
    }

    /** With what makes the topics and the clock the retries are timed by (tests). */
    public TopicsCreated(BooleanSupplier makeTopics, Duration retryInterval, Clock clock) {
        this.makeTopics = makeTopics;
        this.retryInterval = retryInterval;
        this.clock = clock;
    }

    /**
     * An attempt waits for the broker 5 s and 1 s more to close its client, not Spring's 30 and 10: a
     * publisher may hold a transaction meanwhile (KafkaTopicsIT).
     */
    private static KafkaAdmin bounded(KafkaAdmin admin) {
        admin.setOperationTimeout(5);
        admin.setCloseTimeout(1);
        return admin;
    }

    /** Returns once the topics exist (made now if need be); else throws, and the caller's send waits for its next round. */
    public void require() {
        if (created) {
            return;
        }
        if (!clock.instant().isBefore(nextAttempt) && attempt.tryLock()) {
            try {
                if (!created && !clock.instant().isBefore(nextAttempt)) {
                    try {
                        created = makeTopics.getAsBoolean();
                        lastFailure = created ? null : "the broker did not answer";
                    } catch (RuntimeException e) { // Spring's admin throws once the context is running
                        lastFailure = e.getCause() != null ? e.getMessage() + ": " + e.getCause() : e.toString();
                    } finally {
                        nextAttempt = clock.instant().plus(retryInterval); // the interval counts from the attempt's end
                    }
                    if (created) {
                        log.info("Kafka topics are in place; publishing");
                    }
                }
            } finally {
                attempt.unlock();
            }
        }
        if (!created) {
            throw new KafkaException("the Kafka topics could not be created or checked yet (" + lastFailure
                    + "); nothing is sent until they are, tried again every " + retryInterval.toSeconds() + " s");
        }
    }
}
