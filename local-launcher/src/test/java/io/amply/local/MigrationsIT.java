package io.amply.local;

import io.amply.db.DatabaseSettings;
import io.amply.db.Migrations;
import io.amply.db.RolePasswords;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    void theStatementsThatSetTheRolesPasswordsCarryTheirScramVerifiersNotThePasswords() throws Exception {
        // given: a server that logs every role change as it receives it (log_statement = ddl), reached through a proxy
        // that keeps what it is sent
        try (CuttableProxy wire = new CuttableProxy(stack.postgres.primaryPort(), true)) {
            String url = stack.postgres.primaryUrl("amply").replace(":" + stack.postgres.primaryPort() + "/", ":" + wire.port() + "/");

            // when: the cluster is prepared and migrated, which sets every role's password
            Migrations.bootstrap(url.replace("/amply", "/postgres"), "postgres", "", "amply_admin",
                    TestStack.SECRETS.adminPassword(), TestStack.SECRETS.rolePasswords(), "amply");
            new Migrations(new DatabaseSettings(url, "amply_admin", TestStack.SECRETS.adminPassword())).migrate();

            // then: each statement names what logins are checked against, never the password, so the server's log holds
            // none (until 2026-11-29 it held all three roles' passwords)
            String sent = wire.sent();
            assertThat(sent).contains("ALTER ROLE amply_admin WITH LOGIN NOCREATEROLE NOCREATEDB PASSWORD 'SCRAM-SHA-256$4096:")
                    .contains("ALTER ROLE amply_app WITH LOGIN NOCREATEROLE NOCREATEDB PASSWORD 'SCRAM-SHA-256$4096:")
                    .contains("ALTER ROLE amply_readonly WITH LOGIN NOCREATEROLE NOCREATEDB PASSWORD 'SCRAM-SHA-256$4096:")
                    .contains("ALTER ROLE amply_analyst WITH LOGIN NOCREATEROLE NOCREATEDB PASSWORD 'SCRAM-SHA-256$4096:")
                    .doesNotContain(TestStack.SECRETS.adminPassword()).doesNotContain(TestStack.SECRETS.appPassword())
                    .doesNotContain(TestStack.SECRETS.readonlyPassword()).doesNotContain(TestStack.SECRETS.analystPassword());
        }
        // and every role still logs in with its password, the replica's roles on the replica
        for (String[] role : new String[][]{{"amply_admin", TestStack.SECRETS.adminPassword()},
                {"amply_app", TestStack.SECRETS.appPassword()}}) {
            try (Connection connection = DriverManager.getConnection(stack.postgres.primaryUrl("amply"), role[0], role[1])) {
                assertThat(connection.isValid(5)).as(role[0]).isTrue();
            }
        }
        try (Connection analyst = stack.analystOnReplica(); Connection readonly = stack.readonlyOnReplica()) {
            assertThat(analyst.isValid(5)).isTrue();
            assertThat(readonly.isValid(5)).isTrue();
        }
    }

    @Test
    void theReplicasRolesAreRefusedOnThePrimary() {
        // when / then: with the right passwords, on the primary (amply_readonly logged in there until 2026-11-29)
        assertThatThrownBy(() -> DriverManager.getConnection(stack.postgres.primaryUrl("amply"), "amply_analyst",
                TestStack.SECRETS.analystPassword()).close())
                .isInstanceOf(SQLException.class).hasMessageContaining("pg_hba.conf rejects connection");
        assertThatThrownBy(() -> DriverManager.getConnection(stack.postgres.primaryUrl("amply"), "amply_readonly",
                TestStack.SECRETS.readonlyPassword()).close())
                .isInstanceOf(SQLException.class).hasMessageContaining("pg_hba.conf rejects connection");
    }

    @Test
    void theOwnerCanNeitherMakeRolesNorGrantItselfTheServersPrograms() throws SQLException {
        // given: the schema's owner, as anything that ran SQL as the owner would be
        try (Connection owner = stack.owner(); Statement statement = owner.createStatement()) {
            // when / then: with CREATEROLE (until 2026-11-29) both went through, and the second let it run programs on
            // the server (COPY … FROM PROGRAM)
            assertThatThrownBy(() -> statement.execute("CREATE ROLE amply_intruder LOGIN PASSWORD 'x'"))
                    .hasMessageContaining("permission denied to create role");
            assertThatThrownBy(() -> statement.execute("GRANT pg_execute_server_program TO amply_admin"))
                    .hasMessageContaining("must have admin option on role \"pg_execute_server_program\"");
            assertThatThrownBy(() -> statement.execute("ALTER ROLE amply_app PASSWORD 'chosen-by-the-owner'"))
                    .hasMessageContaining("permission denied");
        } finally {
            // should one of them have gone through, the other tests get the cluster back as it was
            try (Connection superuser = stack.superuser(); Statement statement = superuser.createStatement()) {
                statement.execute("DROP ROLE IF EXISTS amply_intruder");
                statement.execute("REVOKE pg_execute_server_program FROM amply_admin");
                statement.execute("ALTER ROLE amply_app PASSWORD '" + TestStack.SECRETS.appPassword() + "'");
            }
        }
    }

    @Test
    void migrateRefusesAnOwnerThatMayStillCreateRoles() throws SQLException {
        // given: an owner as a release before 2026-11-29 left it, not yet brought up to date by this release's bootstrap
        try (Connection superuser = stack.superuser(); Statement statement = superuser.createStatement()) {
            statement.execute("ALTER ROLE amply_admin CREATEROLE");
            try {
                // when / then
                assertThatThrownBy(() -> new Migrations(stack.database).migrate())
                        .hasMessageContaining("amply_admin may create roles: run this release's bootstrap step");
            } finally {
                statement.execute("ALTER ROLE amply_admin NOCREATEROLE");
            }
        }
    }

    @Test
    void bootstrapStopsWhileOneOfTheRolesHasPowersTheProjectNeverGaveIt() throws SQLException {
        // given: what an owner with CREATEROLE could have given the query side's role before 2026-11-29
        try (Connection superuser = stack.superuser(); Statement statement = superuser.createStatement()) {
            statement.execute("GRANT pg_read_server_files TO amply_readonly");
            try {
                // when / then: named, for the superuser to revoke
                assertThatThrownBy(() -> Migrations.bootstrap(stack.postgres.primaryUrl("postgres"), "postgres", "",
                        "amply_admin", TestStack.SECRETS.adminPassword(), TestStack.SECRETS.rolePasswords(), "amply"))
                        .hasMessageContaining("amply_readonly is a member of pg_read_server_files");
            } finally {
                statement.execute("REVOKE pg_read_server_files FROM amply_readonly");
            }
        }
    }

    @Test
    void bootstrapWithoutAnAnalystsPasswordLeavesTheAnalystsLoginAsItIs() throws SQLException {
        // when: a later bootstrap is given no analyst's password
        Migrations.bootstrap(stack.postgres.primaryUrl("postgres"), "postgres", "", "amply_admin",
                TestStack.SECRETS.adminPassword(), new RolePasswords(TestStack.SECRETS.appPassword(),
                        TestStack.SECRETS.readonlyPassword(), null), "amply");

        // then: analysts still log in
        try (Connection analyst = stack.analystOnReplica()) {
            assertThat(analyst.isValid(5)).isTrue();
        }
    }

    @Test
    void theAnalystsRoleReadsWhatTheQuerySideReadsButTheNotes() throws SQLException {
        // given: every relation of the schema, and what each of the two replica roles may read of it
        try (Connection superuser = stack.superuser(); Statement statement = superuser.createStatement();
             ResultSet rs = statement.executeQuery("""
                     SELECT c.relname, has_table_privilege('amply_readonly', c.oid, 'SELECT'),
                            has_table_privilege('amply_analyst', c.oid, 'SELECT'),
                            has_any_column_privilege('amply_analyst', c.oid, 'SELECT')
                       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'm', 'p')""")) {
            Set<String> querySide = new TreeSet<>();
            Set<String> analysts = new TreeSet<>();
            while (rs.next()) {
                if (rs.getBoolean(2)) {
                    querySide.add(rs.getString(1));
                }
                if (rs.getBoolean(3) || rs.getBoolean(4)) {
                    analysts.add(rs.getString(1));
                }
            }

            // then: the same, the notes aside (a migration granting amply_readonly a table must grant it here too)
            assertThat(querySide).contains("ledger", "transactions", "ledger_notes");
            Set<String> expected = new TreeSet<>(querySide);
            expected.remove("ledger_notes");
            assertThat(analysts).isEqualTo(expected);
        }
    }

    @Test
    void v18RewritesFundRestrictionsStoredTheOldWay() throws SQLException {
        // given: a scratch database at V17, with funds whose restrictions were stored as before
        String scratch = "amply_v18_" + Long.toHexString(System.nanoTime());
        Migrations.bootstrap(stack.postgres.primaryUrl("postgres"), "postgres", "", "amply_admin",
                TestStack.SECRETS.adminPassword(), TestStack.SECRETS.rolePasswords(), scratch);
        DatabaseSettings settings = new DatabaseSettings(stack.postgres.primaryUrl(scratch), "amply_admin",
                TestStack.SECRETS.adminPassword());
        try {
            new Migrations(settings).migrateTo("17");
            try (Connection superuser = stack.postgres.superuserOnPrimary(scratch); Statement statement = superuser.createStatement()) {
                statement.execute("""
                        INSERT INTO organisations (id, name, country, status, default_visibility, created_at, updated_at)
                        VALUES ('org_v18', 'V18', 'GB', 'pending', 'public_full', now(), now());
                        INSERT INTO funds (id, organisation_id, name, type, currency, restrictions, created_at) VALUES
                          ('fund_old', 'org_v18', 'Old', 'restricted', 'GBP',
                           '{"purpose": "wells", "geography": null, "startsOn": "2026-01-01", "endsOn": null}', now()),
                          ('fund_none', 'org_v18', 'None', 'general', 'GBP',
                           '{"purpose": null, "geography": null, "startsOn": null, "endsOn": null}', now()),
                          ('fund_new', 'org_v18', 'New', 'restricted', 'GBP', '{"geography": "Kenya", "ends_on": "2027-01-01"}', now())""");
            }

            // when
            new Migrations(settings).migrate();

            // then: the API's names, unset ones left out, rows already right untouched, RLS forced again
            try (Connection superuser = stack.postgres.superuserOnPrimary(scratch); Statement statement = superuser.createStatement();
                 ResultSet rs = statement.executeQuery("""
                         SELECT string_agg(id || '=' || restrictions::text, ' ' ORDER BY id),
                                bool_and(c.relforcerowsecurity)
                           FROM funds, pg_class c WHERE c.oid = 'funds'::regclass""")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("fund_new={\"ends_on\": \"2027-01-01\", \"geography\": \"Kenya\"} "
                        + "fund_none={} fund_old={\"purpose\": \"wells\", \"starts_on\": \"2026-01-01\"}");
                assertThat(rs.getBoolean(2)).isTrue();
            }
        } finally {
            try (Connection superuser = stack.superuser(); Statement statement = superuser.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + scratch + " WITH (FORCE)");
            }
        }
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
                       -- the public directory and its figures (V13), how far each chain is published (V21);
                       -- rebuild twins, which no client role may read (V16)
                       AND c.relname NOT IN ('resource_owners', 'ledger_heads', 'checkpoints', 'organisation_profiles',
                                             'organisation_totals', 'ledger_publication')
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
