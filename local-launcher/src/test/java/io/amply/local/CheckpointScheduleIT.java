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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Checkpoints made by the schedule, not on request: a chain's first entries are checkpointed at
 * the next look (every second in the tests), and later whenever it grew by {@code every-entries},
 * not before. The growth rule is exercised with the schedule's own look and a threshold of 3
 * (the running node's is 1,000).
 */
class CheckpointScheduleIT {

    @Test
    void aChainIsCheckpointedWhenItFirstHasEntriesAndAgainOnlyAfterGrowingByEveryEntries() throws SQLException {
        TestStack stack = TestStack.get();
        Api api = new Api(stack);
        Object schedule = stack.apps().query().getBean("checkpointSchedule");

        // given: a chain's first entry, checkpointed by the schedule
        Api.Organisation org = api.organisation(Api.admin(), "USD");
        api.receive(Api.admin(), org.id(), org.generalFund(), 100, "USD", 0);
        await().atMost(Duration.ofSeconds(20)).until(() -> checkpointed(stack, org.id()), s -> s.equals(List.of(1L)));

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
