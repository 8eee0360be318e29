package io.amply.local;

import io.amply.db.Migrations;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class MigrationsIT {

    private static TestStack stack;

    @BeforeAll
    static void start() {
        stack = TestStack.get();
    }

    @Test
    void everyMigrationIsAppliedAndTheDatabaseValidates() {
        // given
        Migrations migrations = new Migrations(stack.database);

        // when
        MigrationInfo[] all = migrations.info().all();

        // then
        assertThat(all).isNotEmpty();
        assertThat(Arrays.stream(all).map(MigrationInfo::getState)).containsOnly(MigrationState.SUCCESS);
        assertThat(migrations.validate().validationSuccessful).isTrue();
    }

    @Test
    void migratingAgainChangesNothing() {
        assertThat(new Migrations(stack.database).migrate().migrationsExecuted).isZero();
    }

    @Test
    void everyTableIsOwnedByTheAdminRoleAndEveryTenantTableForcesRowLevelSecurity() throws SQLException {
        try (Connection superuser = stack.superuser(); Statement statement = superuser.createStatement()) {
            try (ResultSet rs = statement.executeQuery(
                    "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner <> 'amply_admin'")) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
            try (ResultSet rs = statement.executeQuery("""
                    SELECT c.relname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
                     WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND a.attname = 'organisation_id'
                       AND NOT (c.relrowsecurity AND c.relforcerowsecurity)
                       -- public by design: an id -> organisation map (V7), chain heads and signed checkpoints (V10),
                       -- the public directory and its figures (V13); rebuild twins, which no client role may read (V16)
                       AND c.relname NOT IN ('resource_owners', 'ledger_heads', 'checkpoints', 'organisation_profiles',
                                             'organisation_totals')
                       AND c.relname NOT LIKE '%\\_rebuild'""")) {
                assertThat(rs.next()).as("a tenant table without forced row-level security").isFalse();
            }
            try (ResultSet rs = statement.executeQuery("""
                    SELECT count(*) FROM pg_class c
                     WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND c.relname LIKE '%\\_rebuild'
                       AND has_table_privilege('amply_readonly', c.oid, 'SELECT')""")) {
                rs.next();
                assertThat(rs.getInt(1)).as("rebuild twins readable by the read-only role").isZero();
            }
        }
    }

    @Test
    void axonsGlobalIndexIncrementsByOneAndPayloadsAreBytea() throws SQLException {
        try (Connection superuser = stack.superuser(); Statement statement = superuser.createStatement()) {
            try (ResultSet rs = statement.executeQuery(
                    "SELECT increment_by FROM pg_sequences WHERE sequencename LIKE 'domain_event_entry%'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(1);
            }
            try (ResultSet rs = statement.executeQuery("""
                    SELECT count(*) FROM information_schema.columns
                     WHERE table_name IN ('domain_event_entry', 'snapshot_event_entry', 'token_entry', 'dead_letter_entry')
                       AND column_name IN ('payload', 'meta_data', 'token') AND data_type <> 'bytea'""")) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
        }
    }
}
