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
    void theAnswerNamesTheRequestAndTellsHowToRetry() {
        // when
        ApiError error = DatabaseUnavailable.error("req_abc");

        // then
        assertThat(error.error().code()).isEqualTo(ApiErrorCode.SERVER_ERROR);
        assertThat(error.error().message()).contains("req_abc").contains("Idempotency-Key");
    }
}
