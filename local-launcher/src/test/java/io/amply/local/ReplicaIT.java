package io.amply.local;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The read-only role and the streaming replica. */
class ReplicaIT {

    private static TestStack stack;

    @BeforeAll
    static void start() {
        stack = TestStack.get();
    }

    @Test
    void publishingWaitsForTheReplicasReplayAndForNothingWithoutAReplica() throws Exception {
        // given: the query node's primary and replica, as the publishers see them
        var query = stack.apps().query();
        org.springframework.jdbc.core.JdbcTemplate primary = query.getBean(org.springframework.jdbc.core.JdbcTemplate.class);
        var replica = new org.springframework.jdbc.core.JdbcTemplate(query.getBean("replicaCatchUpDataSource", javax.sql.DataSource.class));
        io.amply.query.ReplicaCatchUp streaming = new io.amply.query.ReplicaCatchUp(primary, replica, true, Duration.ofSeconds(1));
        stack.postgres.awaitReplicaCaughtUp(Duration.ofSeconds(30));

        // then: a replica that has replayed everything is waited for no longer than it takes to ask
        streaming.awaitCommitted();
        // and a deployment whose "replica" is the primary itself has nothing to wait for
        new io.amply.query.ReplicaCatchUp(primary, primary, true, Duration.ofSeconds(1)).awaitCommitted();
        // and a replica that does not answer holds publishing up, saying so
        var nowhere = new org.springframework.jdbc.datasource.DriverManagerDataSource(
                "jdbc:postgresql://127.0.0.1:1/" + AmplyDatabase.NAME + "?connectTimeout=1");
        assertThatThrownBy(() -> new io.amply.query.ReplicaCatchUp(primary, new org.springframework.jdbc.core.JdbcTemplate(nowhere),
                true, Duration.ofSeconds(1)).awaitCommitted())
                .isInstanceOf(io.amply.query.ReplicaCatchUp.ReplicaBehind.class).hasMessageContaining("does not answer");

        // when: the replica's replay is paused and the primary commits something
        try (Connection paused = stack.postgres.superuserOnReplica(AmplyDatabase.NAME); Statement statement = paused.createStatement()) {
            statement.execute("SELECT pg_wal_replay_pause()");
            try {
                primary.update("UPDATE replica_heartbeat SET at = now() WHERE id = 1");

                // then: what was committed is not published within the wait
                assertThatThrownBy(streaming::awaitCommitted).isInstanceOf(io.amply.query.ReplicaCatchUp.ReplicaBehind.class)
                        .hasMessageContaining("has not replayed");
            } finally {
                statement.execute("SELECT pg_wal_replay_resume()");
            }
        }
        // and once the replica replays again, it is
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(streaming::awaitCommitted);
        // and switched off, nothing is waited for (a deployment that chose to publish from the primary alone)
        new io.amply.query.ReplicaCatchUp(null, null, false, Duration.ZERO).awaitCommitted();
    }

    @Test
    void aReplicaThatStoppedReceivingIsReportedAsBehindNotAsCurrent() throws Exception {
        // given: a public page of a new organisation, read while the replica streams
        Api.Organisation org = new Api(stack).organisation(Api.admin(), "EUR");
        String page = stack.apps().queryUrl() + "/v1/public/organisations/" + org.id() + "/funds";
        String operators = stack.apps().queryManagementUrl();
        await().atMost(Duration.ofSeconds(30)).until(() -> lagOf(page), lag -> lag < 5_000);
        try (Connection replica = stack.postgres.superuserOnReplica(AmplyDatabase.NAME); Statement statement = replica.createStatement()) {
            String conninfo;
            try (ResultSet rs = statement.executeQuery("SHOW primary_conninfo")) {
                rs.next();
                conninfo = rs.getString(1);
            }
            try {
                // when: the replica stops receiving (everything it received is replayed, so PostgreSQL's own view
                // on it reads as no lag at all)
                statement.execute("ALTER SYSTEM SET primary_conninfo = ''");
                statement.execute("SELECT pg_reload_conf()");
                await().atMost(Duration.ofSeconds(30)).until(() -> count(replica, "SELECT count(*) FROM pg_stat_wal_receiver") == 0);

                // then: reads say it is behind, by the heartbeat's age, and so do the gauge and the health component
                await().atMost(Duration.ofSeconds(30)).until(() -> lagOf(page), lag -> lag > 6_000);
                String metrics = Http.text(operators + "/prometheus");
                assertThat(metrics.lines().filter(line -> line.startsWith("amply_replica_lag_milliseconds"))
                        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).max().orElse(0))
                        .isGreaterThan(5_000);
                assertThat(Http.get(operators + "/health", null).body().at("/components/replica/details/lag_ms").asLong())
                        .isGreaterThan(5_000);
            } finally {
                statement.execute("ALTER SYSTEM SET primary_conninfo = '" + conninfo.replace("'", "''") + "'");
                statement.execute("SELECT pg_reload_conf()");
            }
        }
        // and once it receives again it catches up, and reads say so
        stack.postgres.awaitReplicaCaughtUp(Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(30)).until(() -> lagOf(page), lag -> lag < 5_000);
    }

    private static long lagOf(String page) {
        Http.Response response = Http.get(page, null);
        assertThat(response.status()).as(response.raw()).isEqualTo(200);
        return response.body().at("/meta/freshness/replica_lag_ms").asLong();
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void theReadonlyRoleMayWriteNothing() throws SQLException {
        // given: the primary refuses the role (MigrationsIT), and a standby refuses every write before it looks at a
        // privilege, so the role's privileges are read from the replica's catalogue, which is the primary's
        try (Connection readonly = stack.readonlyOnReplica(); Statement statement = readonly.createStatement();
             // when
             ResultSet rs = statement.executeQuery("""
                     SELECT coalesce(string_agg(c.relname, ', ' ORDER BY c.relname), '')
                       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm')
                        AND (has_table_privilege(c.oid, 'INSERT') OR has_table_privilege(c.oid, 'UPDATE')
                             OR has_table_privilege(c.oid, 'DELETE') OR has_table_privilege(c.oid, 'TRUNCATE')
                             OR has_any_column_privilege(c.oid, 'INSERT') OR has_any_column_privilege(c.oid, 'UPDATE'))
                         OR n.nspname = 'public' AND c.relkind = 'S' AND has_sequence_privilege(c.oid, 'UPDATE')""")) {
            // then: not one table, column or sequence, though it reads the ledger and the read models
            rs.next();
            assertThat(rs.getString(1)).isEmpty();
            assertThat(count(readonly, "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE n.nspname = 'public' AND c.relkind = 'r' AND has_table_privilege(c.oid, 'SELECT')")).isPositive();
        }
    }

    @Test
    void theReplicasSlotKeepsWalForItButNotWithoutEnd() throws SQLException {
        try (Connection superuser = stack.superuser(); Statement statement = superuser.createStatement();
             ResultSet rs = statement.executeQuery("""
                     SELECT s.wal_status, s.safe_wal_size IS NOT NULL, current_setting('max_slot_wal_keep_size')
                       FROM pg_replication_slots s WHERE s.slot_name = 'amply_replica'""")) {
            assertThat(rs.next()).as("the replica streams through its slot").isTrue();
            assertThat(rs.getString(1)).isEqualTo("reserved");
            // a bound: safe_wal_size is null when a slot may keep WAL without end
            assertThat(rs.getBoolean(2)).isTrue();
            assertThat(rs.getString(3)).isEqualTo("16GB");
        }
    }

    @Test
    void theReplicaIsAStandbyThatRefusesWritesEvenFromTheSuperuser() throws SQLException {
        try (Connection superuser = stack.postgres.superuserOnReplica(AmplyDatabase.NAME);
             Statement statement = superuser.createStatement()) {
            try (ResultSet rs = statement.executeQuery("SELECT pg_is_in_recovery()")) {
                rs.next();
                assertThat(rs.getBoolean(1)).isTrue();
            }
            assertThatThrownBy(() -> statement.executeUpdate("""
                    INSERT INTO organisations (id, name, country, status, default_visibility, created_at, updated_at)
                    VALUES ('org_replicawrite', 'x', 'GB', 'pending', 'public_full', now(), now())"""))
                    .hasMessageContaining("read-only transaction");
        }
    }

    @Test
    void bothServersAreUtf8WithTheCLocaleWhateverTheMachinesLocale() throws SQLException {
        for (boolean replica : new boolean[]{false, true}) {
            try (Connection superuser = replica ? stack.postgres.superuserOnReplica(AmplyDatabase.NAME) : stack.superuser();
                 Statement statement = superuser.createStatement();
                 ResultSet rs = statement.executeQuery(
                         "SELECT pg_encoding_to_char(encoding), datcollate, datctype FROM pg_database WHERE datname = current_database()")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("UTF8");
                assertThat(rs.getString(2)).isEqualTo("C");
                assertThat(rs.getString(3)).isEqualTo("C");
            }
        }
    }

    @Test
    void theReplicaServesRowsWrittenOnThePrimary() throws Exception {
        // given
        String org;
        try (Connection app = stack.app()) {
            org = Tenants.createOrganisation(app);
            Tenants.append(app, Tenants.entry(org, 1, null));
        }

        // when
        stack.postgres.awaitReplicaCaughtUp(Duration.ofSeconds(30));

        // then: the read-only role reads it on the replica, within the organisation's context
        try (Connection replica = stack.readonlyOnReplica()) {
            replica.setAutoCommit(false);
            Tenants.setOrganisation(replica, org);
            assertThat(LedgerRowsReader.chain(replica, org)).hasSize(1);
            replica.rollback();
        }
    }

    @Test
    void aReadLongerThanTheReplicasStatementTimeoutIsStoppedAndAnsweredInTheApisFormatButAWholeChainsIsNot() throws Exception {
        // given: an organisation with a ledger entry on the replica
        Api api = new Api(stack);
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        api.receive(Api.admin(), org.id(), org.generalFund(), 1_000, "GBP", 0);
        api.ledger(org.id(), c -> c.size() == 1);
        stack.postgres.awaitReplicaCaughtUp(Duration.ofSeconds(30));
        String ledger = stack.apps().queryUrl() + "/v1/public/organisations/" + org.id() + "/ledger";
        ExecutorService clients = Executors.newFixedThreadPool(2);
        try (Connection primary = stack.superuser(); Statement statement = primary.createStatement();
             Connection replica = stack.postgres.superuserOnReplica(AmplyDatabase.NAME)) {
            // the replica replays an exclusive lock taken on the primary: its readers of the table wait for it
            primary.setAutoCommit(false);
            statement.execute("LOCK TABLE ledger_entries IN ACCESS EXCLUSIVE MODE");
            await().atMost(Duration.ofSeconds(30)).until(() -> exclusivelyLocked(replica, "ledger_entries"));
            Future<Http.Response> page;
            Future<Http.Response> verification;
            try {
                // when: a page and a verification are asked for while the table is held longer than the timeout
                page = clients.submit(() -> Http.get(ledger, null));
                verification = clients.submit(() -> Http.get(ledger + "/verify", null));
                await().atMost(Duration.ofSeconds(60)).until(page::isDone);
                // the verification's statement has waited for the table longer than the timeout too
                await().atMost(Duration.ofSeconds(60)).until(() -> longestWait(replica) > TestStack.REPLICA_STATEMENT_TIMEOUT_SECONDS + 1);
            } finally {
                primary.rollback();
            }

            // then: the page was stopped at the replica's statement timeout (5 s here) and answered in the API's format
            Http.Response stopped = page.get();
            assertThat(stopped.status()).as(stopped.raw()).isEqualTo(503);
            assertThat(stopped.body().at("/error/code").asText()).isEqualTo("server_error");
            assertThat(stopped.raw()).doesNotContain("SQL", "Exception");
            // and the verification, which walks a whole chain and lifts the timeout, waited and answers
            Http.Response verified = verification.get(1, TimeUnit.MINUTES);
            assertThat(verified.status()).as(verified.raw()).isEqualTo(200);
            assertThat(verified.body().at("/data/valid").asBoolean()).as(verified.raw()).isTrue();
            assertThat(verified.body().at("/data/entries_checked").asLong()).isEqualTo(1);
            // and once nothing holds the table, the page reads as ever
            assertThat(Http.get(ledger, null).status()).isEqualTo(200);
        } finally {
            clients.shutdownNow();
        }
    }

    /** How long (seconds) the replica's longest-waiting reader's statement has waited for a lock. */
    private static double longestWait(Connection replica) throws SQLException {
        try (Statement statement = replica.createStatement(); ResultSet rs = statement.executeQuery(
                "SELECT coalesce(max(extract(epoch FROM now() - query_start)), 0) FROM pg_stat_activity"
                        + " WHERE usename = 'amply_readonly' AND wait_event_type = 'Lock'")) {
            rs.next();
            return rs.getDouble(1);
        }
    }

    private static boolean exclusivelyLocked(Connection replica, String table) throws SQLException {
        try (Statement statement = replica.createStatement(); ResultSet rs = statement.executeQuery(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'relation' AND relation = '" + table + "'::regclass"
                        + " AND mode = 'AccessExclusiveLock' AND granted")) {
            rs.next();
            return rs.getLong(1) > 0;
        }
    }
}
