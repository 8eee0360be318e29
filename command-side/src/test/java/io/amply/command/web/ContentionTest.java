package io.amply.command.web;

import io.amply.events.api.ApiError;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.transaction.TransactionSystemException;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

class ContentionTest {

    @Test
    void aCommitRefusedByTheEventDeadlineIsNothingWrittenToSendAgain() {
        // given: a commit the database refused (V30), as Spring reports it
        SQLException refused = new SQLException("event 7 was created at ... too long ago to commit it now", "25P04");
        RuntimeException failure = new TransactionSystemException("Could not commit JDBC transaction",
                new UncategorizedSQLException("JDBC commit", null, refused));

        // when
        ApiError error = Contention.error(failure);

        // then: retryable, not a lock waited out (a batch's donations are tried again at once), and said so
        assertThat(Contention.is(failure)).isTrue();
        assertThat(Contention.tooLate(failure)).isTrue();
        assertThat(Contention.waitedOut(failure)).isFalse();
        assertThat(error.error().message()).contains("held up too long").contains("nothing of it was written");
    }

    @Test
    void aLockTimeoutIsNotTakenForTheDeadline() {
        // given
        RuntimeException failure = new UncategorizedSQLException("insert", null,
                new SQLException("canceling statement due to lock timeout", "55P03"));

        // then
        assertThat(Contention.is(failure)).isTrue();
        assertThat(Contention.tooLate(failure)).isFalse();
        assertThat(Contention.waitedOut(failure)).isTrue();
    }
}
