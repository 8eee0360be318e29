package io.amply.local;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The read-only role and the streaming replica. */
class ReplicaIT {

    private static TestStack stack;

    @BeforeAll
    static void start() {
        stack = TestStack.get();
    }

    @Test
    void theReadonlyRoleCannotWriteOnThePrimary() throws SQLException {
        try (Connection readonly = stack.readonlyOnPrimary(); Statement statement = readonly.createStatement()) {
            assertThatThrownBy(() -> statement.executeUpdate("""
                    INSERT INTO organisations (id, name, country, status, default_visibility, created_at, updated_at)
                    VALUES ('org_readonlywrite', 'x', 'GB', 'pending', 'public_full', now(), now())"""))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> statement.executeUpdate("DELETE FROM ledger_entries"))
                    .hasMessageContaining("permission denied");
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
}
