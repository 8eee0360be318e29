package io.amply.local;

import org.junit.jupiter.api.Test;
import org.springframework.test.util.ReflectionTestUtils;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Checkpoints made by the schedule, not on request: a chain's first entries are checkpointed at
 * the next look (every second in the tests), and later whenever it grew by {@code every-entries},
 * not before. The growth rule is exercised with the schedule's own look and a threshold of 3
 * (the running node's is 1,000).
 */
class CheckpointScheduleIT {

    private final TestStack stack = TestStack.get();
    private final Api api = new Api(stack);
    private final Object schedule = stack.apps().query().getBean("checkpointSchedule");

    @Test
    void aChainIsCheckpointedWhenItFirstHasEntriesAndAgainOnlyAfterGrowingByEveryEntries() throws SQLException {
        // given: a chain's first entry, checkpointed by the schedule
        Api.Organisation org = checkpointedAtItsFirstEntry();

        // when: two more entries, fewer than every-entries, and a look at them
        api.receive(Api.admin(), org.id(), org.generalFund(), 100, "USD", 0);
        api.receive(Api.admin(), org.id(), org.generalFund(), 100, "USD", 0);
        api.ledger(org.id(), c -> c.size() == 3);
        ReflectionTestUtils.invokeMethod(schedule, "due", 3L);

        // then: no checkpoint yet
        assertThat(checkpointed(stack, org.id())).containsExactly(1L);

        // when: a third, so the chain grew by three
        api.receive(Api.admin(), org.id(), org.generalFund(), 100, "USD", 0);
        api.ledger(org.id(), c -> c.size() == 4);

        // then: the head is checkpointed (looked again should the node's own look hold the round's lock)
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            ReflectionTestUtils.invokeMethod(schedule, "due", 3L);
            return checkpointed(stack, org.id());
        }, s -> s.equals(List.of(1L, 4L)));
    }

    @Test
    void aRoundHoldsItsLockWithoutASessionIdleInATransaction() throws Exception {
        // given: a chain with an entry since its checkpoint, whose head another transaction holds, so
        // that a round's checkpoint of it waits
        Api.Organisation org = checkpointedAtItsFirstEntry();
        api.receive(Api.admin(), org.id(), org.generalFund(), 100, "USD", 0);
        api.ledger(org.id(), c -> c.size() == 2);
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try (Connection holder = stack.superuser()) {
            holder.setAutoCommit(false);
            try (PreparedStatement hold = holder.prepareStatement("SELECT 1 FROM ledger_heads WHERE organisation_id = ? FOR UPDATE")) {
                hold.setString(1, org.id());
                hold.executeQuery().close();
            }

            // when: a round, waiting for the schedule's lock as the daily one does, checkpoints that chain
            Future<?> round = thread.submit(() -> ReflectionTestUtils.invokeMethod(schedule, "round", List.of(org.id()), true));
            await().atMost(Duration.ofSeconds(30)).until(() -> api.count(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE ledger_heads%'") > 0);

            // then: the session holding the schedule's lock is not idle inside a transaction, which
            // PostgreSQL would end after a minute, lock and round with it
            assertThat(api.count("""
                    SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                     WHERE l.locktype = 'advisory' AND l.classid = 97 AND l.objid = 1836084345 AND l.granted""")).isOne();
            assertThat(api.count("""
                    SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                     WHERE l.locktype = 'advisory' AND l.classid = 97 AND l.objid = 1836084345 AND l.granted
                       AND a.state = 'idle in transaction'""")).isZero();
            holder.rollback();
            round.get(30, TimeUnit.SECONDS);
        } finally {
            thread.shutdownNow();
        }
        // and the round made its checkpoint, and let the lock go
        assertThat(checkpointed(stack, org.id())).containsExactly(1L, 2L);
        await().atMost(Duration.ofSeconds(10)).until(() -> api.count("""
                SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = 97 AND objid = 1836084345""") == 0);
    }

    /** A new organisation whose chain's first entry the schedule has checkpointed. */
    private Api.Organisation checkpointedAtItsFirstEntry() {
        Api.Organisation org = api.organisation(Api.admin(), "USD");
        api.receive(Api.admin(), org.id(), org.generalFund(), 100, "USD", 0);
        await().atMost(Duration.ofSeconds(20)).until(() -> checkpointed(stack, org.id()), s -> s.equals(List.of(1L)));
        return org;
    }

    /** The sequences the organisation's checkpoints cover, oldest first. */
    private static List<Long> checkpointed(TestStack stack, String organisationId) throws SQLException {
        try (Connection superuser = stack.superuser();
             PreparedStatement query = superuser.prepareStatement(
                     "SELECT DISTINCT sequence FROM checkpoints WHERE organisation_id = ? ORDER BY sequence")) {
            query.setString(1, organisationId);
            List<Long> sequences = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    sequences.add(rs.getLong(1));
                }
            }
            return sequences;
        }
    }
}
