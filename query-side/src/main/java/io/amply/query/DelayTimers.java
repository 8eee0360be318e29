package io.amply.query;

import io.micrometer.core.instrument.Timer;

import java.time.Duration;

/**
 * How the query side times how far behind an event a processor's effect is (the ledger's entries,
 * Kafka's acknowledgement): median and 99th percentile over the last minute, and exact cumulative
 * counts within 0.1, 0.25, 0.5, 1 and 5 s, which the benchmarks read.
 */
public final class DelayTimers {

    private DelayTimers() {
    }

    public static Timer.Builder delay(String name, String description) {
        return Timer.builder(name)
                .description(description)
                .publishPercentiles(0.5, 0.99)
                .percentilePrecision(2)
                .serviceLevelObjectives(Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
                        Duration.ofSeconds(1), Duration.ofSeconds(5))
                .distributionStatisticExpiry(Duration.ofMinutes(1));
    }
}
