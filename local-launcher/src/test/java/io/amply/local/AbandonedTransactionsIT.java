package io.amply.local;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node that dies or is cut off in the middle of a transaction never ends it, and PostgreSQL would
 * keep its row locks until TCP noticed, hours later: every donation to the fund it was writing would
 * be refused that long (each after waiting out the command side's lock timeout, LockWaitsIT). The
 * application's role has its sessions ended after a minute idle inside a transaction
 * (the bootstrap step, Migrations.bootstrap), and the server probes quiet clients (PostgresCluster).
 */
class AbandonedTransactionsIT {

    private final TestStack stack = TestStack.get();
    private final Api api = new Api(stack);

    @Test
    void theApplicationsSessionsAreEndedAfterAMinuteIdleInATransaction() throws SQLException {
        // given: fresh logins of the application's role and of the readers' role
        try (Connection app = stack.app(); Connection reader = stack.readonlyOnReplica()) {
            // when / then: the writer's sessions are ended, the readers' (exports to slow clients) are not
            assertThat(setting(app, "idle_in_transaction_session_timeout")).isEqualTo("60000");
            assertThat(setting(reader, "idle_in_transaction_session_timeout")).isEqualTo("0");
            // and a client that vanished without a word is found out within two minutes, not two hours
            assertThat(setting(app, "tcp_keepalives_idle")).isEqualTo("60");
            assertThat(setting(app, "tcp_keepalives_interval")).isEqualTo("10");
        }
    }

    @Test
    void aFundWhoseWriterWentQuietMidTransactionTakesDonationsAgainOnceTheSessionIsEnded() throws Exception {
        // given: a session of the application that changed a fund's row and then went quiet, as a
        // node that died in the middle of recording a donation
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        String donation = """
                {"organisation_id": "%s", "fund_id": "%s", "amount": 700, "currency": "GBP",
                 "payment": {"method": "bank_transfer", "reference": "BACS 700"}}""".formatted(org.id(), org.generalFund());
        try (Connection lost = stack.app()) {
            lost.setAutoCommit(false);
            long pid;
            try (PreparedStatement context = lost.prepareStatement("SELECT amply_set_org(?), pg_backend_pid()");
                 PreparedStatement hold = lost.prepareStatement("UPDATE funds SET balance = balance WHERE id = ?")) {
                context.setString(1, org.id());
                try (ResultSet rs = context.executeQuery()) {
                    rs.next();
                    pid = rs.getLong(2);
                }
                hold.setString(1, org.generalFund());
                assertThat(hold.executeUpdate()).isOne();
            }
            // meanwhile a donation to that fund waits out the command side's lock timeout, and is told to retry
            Http.Response waiting = api.post("/v1/donations", Api.admin(), donation);
            assertThat(waiting.status()).as(waiting.raw()).isEqualTo(429);

            // when: the session stays quiet (the minute is shortened for the test: it is the session's setting)
            try (Statement statement = lost.createStatement()) {
                statement.execute("SET idle_in_transaction_session_timeout = '2s'");
            }

            // then: PostgreSQL ends the session and rolls it back, and the donation sent again is recorded
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> api.count("SELECT count(*) FROM pg_stat_activity WHERE pid = " + pid) == 0);
            Http.Response recorded = api.post("/v1/donations", Api.admin(), donation);
            assertThat(recorded.status()).as(recorded.raw()).isEqualTo(201);
            assertThat(api.balance(org.generalFund())).isEqualTo(700);
        }
    }

    private static String setting(Connection connection, String name) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT setting FROM pg_settings WHERE name = ?")) {
            query.setString(1, name);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
