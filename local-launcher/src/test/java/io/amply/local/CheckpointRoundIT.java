package io.amply.local;

import org.junit.jupiter.api.Test;
import org.springframework.test.util.ReflectionTestUtils;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A scheduled checkpoint round signs each chain in a transaction of its own, so it never holds
 * one organisation's chain head while it waits for another's. When the round held them all until
 * it ended, a ledger batch (which updates several heads in one transaction) and the round
 * deadlocked, and the ledger waited out its processor's back-off (docs/benchmarks.md).
 */
class CheckpointRoundIT {

    @Test
    void aRoundCommitsEachCheckpointBeforeWaitingForTheNextChain() throws Exception {
        // given: two chains, each checkpointed once and grown since (not due for the schedule again)
        TestStack stack = TestStack.get();
        Api api = new Api(stack);
        Api.Organisation first = api.organisation(Api.admin(), "EUR");
        Api.Organisation second = api.organisation(Api.admin(), "EUR");
        for (Api.Organisation org : List.of(first, second)) {
            api.receive(Api.admin(), org.id(), org.generalFund(), 1_000, "EUR", 10);
            await().atMost(Duration.ofSeconds(30)).until(() -> checkpointed(stack, org.id()) == 2);
            api.receive(Api.admin(), org.id(), org.generalFund(), 2_000, "EUR", 20);
            api.ledger(org.id(), chain -> chain.size() == 4);
        }
        Object schedule = stack.apps().query().getBean("checkpointSchedule");

        try (Connection ledgerBatch = stack.superuser()) {
            // when: another transaction (as a ledger batch would) holds the second chain's head ...
            ledgerBatch.setAutoCommit(false);
            lockHead(ledgerBatch, second.id());
            // ... while a round signs the first chain, then the second
            CompletableFuture<Void> round = CompletableFuture.runAsync(() -> {
                // another round (the 1-second schedule) may hold the round lock for a moment: try again
                await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(50)).until(() -> {
                    ReflectionTestUtils.invokeMethod(schedule, "round", List.of(first.id(), second.id()));
                    return checkpointed(stack, first.id()) >= 4;
                });
            });

            // then: the first checkpoint is committed while the round waits for the second head,
            // and that transaction can take the first head too (no deadlock)
            await().atMost(Duration.ofSeconds(20)).until(() -> checkpointed(stack, first.id()) == 4);
            assertThat(round).isNotDone();
            lockHead(ledgerBatch, first.id());
            ledgerBatch.commit();

            // and once it lets go, the round signs the second chain
            round.get(20, TimeUnit.SECONDS);
            assertThat(checkpointed(stack, second.id())).isEqualTo(4);
        }
    }

    private static void lockHead(Connection connection, String organisationId) throws SQLException {
        try (Statement timeout = connection.createStatement()) {
            timeout.execute("SET LOCAL lock_timeout = '10s'");
        }
        try (PreparedStatement lock = connection.prepareStatement(
                "SELECT sequence FROM ledger_heads WHERE organisation_id = ? FOR UPDATE")) {
            lock.setString(1, organisationId);
            lock.executeQuery().close();
        }
    }

    /** The sequence of the organisation's latest checkpoint, as committed. */
    private static long checkpointed(TestStack stack, String organisationId) throws SQLException {
        try (Connection connection = stack.superuser();
             PreparedStatement latest = connection.prepareStatement(
                     "SELECT coalesce(max(sequence), 0) FROM checkpoints WHERE organisation_id = ?")) {
            latest.setString(1, organisationId);
            try (ResultSet rs = latest.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
