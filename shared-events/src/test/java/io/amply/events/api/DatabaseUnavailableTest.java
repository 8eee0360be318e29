package io.amply.events.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseUnavailableTest {

    @ParameterizedTest
    @ValueSource(strings = {"08001", "08006", "53100", "53300", "57P01", "57P03", "25006"})
    void aDatabaseThatCannotServeAnythingIsUnavailable(String sqlState) {
        // given: as Spring wraps what the driver threw
        RuntimeException failure = new IllegalStateException("JDBC", new SQLException("refused", sqlState));

        // then
        assertThat(DatabaseUnavailable.is(failure)).isTrue();
    }

    @Test
    void noConnectionWithinThePoolsTimeoutIsUnavailable() {
        // Hikari's, which carries no SQLSTATE when no connection attempt has failed yet
        assertThat(DatabaseUnavailable.is(new RuntimeException(new SQLTransientConnectionException(
                "amply-command - Connection is not available, request timed out after 3000ms.")))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"23505", "55P03", "40001", "57014", "22001", "XX000"})
    void aFailureOfTheRequestItselfIsNot(String sqlState) {
        assertThat(DatabaseUnavailable.is(new SQLException("no", sqlState))).isFalse();
    }

    @Test
    void aWriteThatHadNoConnectionWroteNothingAndIsSaidSo() {
        // given: the pool gave up, after the database refused its connections
        RuntimeException failure = new RuntimeException(new SQLTransientConnectionException("timed out", "08001",
                new SQLException("Connection refused", "08001")));

        // when
        String message = DatabaseUnavailable.error(failure, "req_abc", true, false).error().message();

        // then
        assertThat(message).contains("unavailable at the moment").contains("nothing of it was written").contains("req_abc");
    }

    @Test
    void aWriteWhoseConnectionDroppedMayHaveBeenRecordedAndIsSaidSo() {
        // given: a connection lost while the request was writing (its commit's outcome unknown)
        RuntimeException failure = new RuntimeException(new SQLException("An I/O error occurred", "08006"));

        // when
        String message = DatabaseUnavailable.error(failure, "req_abc", true, false).error().message();

        // then
        assertThat(message).contains("whether it was recorded is not known").contains("Idempotency-Key")
                .doesNotContain("nothing of it was written");
        // and so is any write after something of it committed, whatever the failure
        assertThat(DatabaseUnavailable.error(new SQLTransientConnectionException("timed out"), "req_abc", true, true)
                .error().message()).contains("not known");
    }

    @Test
    void noFreeConnectionWhileTheDatabaseAnswersIsBusyNotDown() {
        // given: Hikari's timeout with no connection failure behind it
        RuntimeException failure = new RuntimeException(new SQLTransientConnectionException(
                "amply-query-replica - Connection is not available, request timed out after 5000ms."));

        // when
        ApiError error = DatabaseUnavailable.error(failure, "req_abc", false, false);

        // then
        assertThat(error.error().code()).isEqualTo(ApiErrorCode.SERVER_ERROR);
        assertThat(error.error().message()).contains("too busy").doesNotContain("written");
    }
}
