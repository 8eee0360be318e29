package io.amply.local;

import com.zaxxer.hikari.HikariDataSource;
import io.amply.ledger.hash.LedgerEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tenant isolation, proved through the application's own role. */
class RowLevelSecurityIT {

    private static TestStack stack;
    private static String orgA;
    private static String orgB;

    @BeforeAll
    static void twoOrganisationsWithLedgers() throws SQLException {
        stack = TestStack.get();
        try (Connection app = stack.app()) {
            orgA = Tenants.createOrganisation(app);
            orgB = Tenants.createOrganisation(app);
            Tenants.append(app, Tenants.entry(orgA, 1, null));
            Tenants.append(app, Tenants.entry(orgB, 1, null));
            // a Stripe payment of A's: V43 lets the table's owner read every organisation's, for its look-up function only
            app.setAutoCommit(false);
            Tenants.setOrganisation(app, orgA);
            try (Statement statement = app.createStatement()) {
                statement.executeUpdate("INSERT INTO stripe_payments (organisation_id, payment_id, donation_id) VALUES ('"
                        + orgA + "', 'pi_rls" + orgA + "', 'don_rls')");
            }
            app.commit();
        }
    }

    private static List<String> organisationIdsVisible(Connection connection, String table) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT DISTINCT " + ("organisations".equals(table) ? "id" : "organisation_id")
                     + " FROM " + table)) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    @Test
    void withNoOrganisationContextNoRowIsVisible() throws SQLException {
        try (Connection app = stack.app()) {
            for (String table : List.of("ledger_entries", "organisations", "funds", "memberships", "donations",
                    "transactions", "projects", "campaigns", "ledger_entries_scratch", "stripe_payments")) {
                assertThat(organisationIdsVisible(app, table)).as(table).isEmpty();
            }
        }
    }

    @Test
    void anOrganisationSeesOnlyItsOwnRowsEvenWithoutAWhereClause() throws SQLException {
        try (Connection app = stack.app()) {
            // given
            app.setAutoCommit(false);
            Tenants.setOrganisation(app, orgA);

            // when
            List<String> ledger = organisationIdsVisible(app, "ledger_entries");
            List<String> organisations = organisationIdsVisible(app, "organisations");
            app.rollback();

            // then
            assertThat(ledger).containsExactly(orgA);
            assertThat(organisations).containsExactly(orgA);
            try (Connection other = stack.app()) {
                other.setAutoCommit(false);
                Tenants.setOrganisation(other, orgB);
                assertThat(organisationIdsVisible(other, "stripe_payments")).doesNotContain(orgA);
                Tenants.setOrganisation(other, orgA);
                assertThat(organisationIdsVisible(other, "stripe_payments")).containsExactly(orgA);
                other.rollback();
            }
        }
    }

    @Test
    void anOrganisationCannotWriteIntoAnotherOrganisationsChain() throws SQLException {
        try (Connection app = stack.app()) {
            // given: context A, the first entry of another organisation's (still empty) chain
            String orgC = Tenants.createOrganisation(app);
            LedgerEntry intoC = Tenants.entry(orgC, 1, null);
            app.setAutoCommit(false);
            Tenants.setOrganisation(app, orgA);

            // when / then
            assertThatThrownBy(() -> Tenants.insert(app, intoC)).hasMessageContaining("row-level security");
            app.rollback();
        }
    }

    @Test
    void theStripePaymentLookUpReadsTheRealTableWhateverTheCallerPutsInItsTemporarySchema() throws SQLException {
        // (a role that may create temporary objects, as every role could until V50)
        stack.temporaryObjectsForTheApp(true);
        try (Connection app = stack.app(); Statement statement = app.createStatement()) {
            // given: the app role's temporary view of the same name, which a function that runs as the owner would read
            // first if its search_path left pg_temp out (and with it anything the view calls, as the owner)
            statement.execute("""
                    CREATE TEMPORARY VIEW stripe_payments AS
                    SELECT 'org_forged'::text AS organisation_id, 'pi_forged'::text AS payment_id, 'don_forged'::text AS donation_id,
                           now() AS recorded_at""");

            // when / then: the look-up reads public.stripe_payments, as the owner, and nothing of the view
            assertThat(owners(statement, "pi_forged")).isEmpty();
            assertThat(owners(statement, "pi_rls" + orgA)).containsExactly(orgA + "/don_rls");
            // and so does the ledger's parked_from look-up (V26's function, mended the same way in V43)
            try (ResultSet rs = statement.executeQuery("SELECT proconfig::text FROM pg_proc WHERE proname = 'amply_ledger_parked_from'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).contains("pg_temp");
            }
        } finally {
            stack.temporaryObjectsForTheApp(false);
        }
    }

    private static List<String> owners(Statement statement, String payment) throws SQLException {
        List<String> owners = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery("SELECT organisation_id, donation_id FROM amply_stripe_payment_owner('"
                + payment + "')")) {
            while (rs.next()) {
                owners.add(rs.getString(1) + "/" + rs.getString(2));
            }
        }
        return owners;
    }

    @Test
    void theOwnerRoleIsBoundByTheSamePolicies() throws SQLException {
        try (Connection owner = stack.owner()) {
            assertThat(organisationIdsVisible(owner, "ledger_entries")).isEmpty();
        }
    }

    @Test
    void aContextSetInOneTransactionDoesNotLeakToTheNextBorrowerOfThePooledConnection() throws SQLException {
        // given: a pool with a single connection, so both borrowers get the same one
        try (HikariDataSource pool = stack.appPool(1)) {
            try (Connection first = pool.getConnection()) {
                first.setAutoCommit(false);
                Tenants.setOrganisation(first, orgA);
                assertThat(organisationIdsVisible(first, "ledger_entries")).containsExactly(orgA);
                first.commit();
            }

            // when
            try (Connection second = pool.getConnection()) {
                // then
                assertThat(organisationIdsVisible(second, "ledger_entries")).isEmpty();
                try (Statement statement = second.createStatement();
                     ResultSet rs = statement.executeQuery("SELECT amply_current_org()")) {
                    rs.next();
                    assertThat(rs.getString(1)).isNull();
                }
            }
        }
    }
}
