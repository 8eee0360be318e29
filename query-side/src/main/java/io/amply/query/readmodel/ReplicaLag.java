package io.amply.query.readmodel;

import io.amply.query.Replica;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Duration;

/**
 * How far behind the primary the replica is, in milliseconds, told true when the replica has stopped
 * receiving too. PostgreSQL's own view on the replica (received against replayed) reads 0 then: all it
 * received is replayed. So every query node writes the time to {@code replica_heartbeat} on the primary
 * once a {@code amply.replica.heartbeat-interval}; once that row on the replica is older than a few
 * intervals, its age is the lag. {@code /actuator/health} component {@code replica}: {@code DEGRADED}
 * beyond {@code amply.replica.lag-alert} or when the replica does not answer; gauge
 * {@code amply.replica.lag} (ms, -1 when the replica does not answer). The same figure is every
 * read's {@code meta.freshness.replica_lag_ms} ({@link Freshness}).
 */
@Component("replicaHealthIndicator") // health component "replica" (the bean "replica" is the replica itself)
public class ReplicaLag implements HealthIndicator {

    /**
     * The lag as one SQL expression over {@code replica_heartbeat h}, the heartbeat's allowance in ms as its
     * one parameter: 0 on a primary; the heartbeat's age once it is older than the allowance; else
     * PostgreSQL's own (0 when all that was received is replayed, else the age of the last replayed commit).
     */
    static final String LAG_MS = """
            CASE WHEN NOT pg_is_in_recovery() THEN 0
                 WHEN h.at < now() - ? * interval '1 millisecond' THEN (extract(epoch FROM now() - h.at) * 1000)::bigint
                 WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
                 ELSE coalesce((extract(epoch FROM now() - pg_last_xact_replay_timestamp()) * 1000)::bigint, 0) END""";

    private static final Logger log = LoggerFactory.getLogger(ReplicaLag.class);

    private final JdbcTemplate primary;
    private final Replica replica;
    private final long allowanceMs;
    private final Duration alert;
    private volatile long lagMs;
    private volatile String unreachable;

    ReplicaLag(JdbcTemplate primary, Replica replica, MeterRegistry meters,
               @Value("${amply.replica.heartbeat-interval:PT1S}") Duration interval,
               @Value("${amply.replica.lag-alert:PT30S}") Duration alert) {
        this.primary = primary;
        this.replica = replica;
        // a late beat (a busy scheduler, a slow commit) is not yet lag: three intervals and two seconds
        this.allowanceMs = interval.toMillis() * 3 + 2_000;
        this.alert = alert;
        Gauge.builder("amply.replica.lag", () -> unreachable == null ? lagMs : -1).baseUnit("milliseconds")
                .description("how far the replica is behind the primary (-1: it does not answer)").register(meters);
    }

    /** The heartbeat's allowance, for {@link #LAG_MS}. */
    long allowanceMs() {
        return allowanceMs;
    }

    @Scheduled(fixedDelayString = "${amply.replica.heartbeat-interval:PT1S}")
    void beat() {
        try {
            primary.update("UPDATE replica_heartbeat SET at = now() WHERE id = 1");
        } catch (RuntimeException e) {
            log.debug("could not write the replica heartbeat on the primary: {}", e.toString());
        }
        try {
            Long lag = replica.jdbc().queryForObject("SELECT " + LAG_MS + " FROM replica_heartbeat h", Long.class, allowanceMs);
            lagMs = lag == null ? 0 : lag;
            unreachable = null;
        } catch (RuntimeException e) {
            unreachable = e.toString();
        }
    }

    @Override
    public Health health() {
        String error = unreachable;
        if (error != null) {
            // DEGRADED, not DOWN: the node still writes the ledger (publishing waits for the replica: ReplicaCatchUp);
            // the reads fail on their own (503)
            return Health.status("DEGRADED").withDetail("error", error).build();
        }
        long lag = lagMs;
        return (lag > alert.toMillis() ? Health.status("DEGRADED") : Health.up())
                .withDetail("lag_ms", lag).withDetail("alert_ms", alert.toMillis()).build();
    }
}
