package io.amply.local;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Runs every SQL example of docs/analysts.md on the replica as amply_analyst, inside one organisation. */
class AnalystGuideIT {

    private static final Pattern SQL_BLOCK = Pattern.compile("```sql\\n(.*?)```", Pattern.DOTALL);

    @Test
    void everyQueryInTheGuideRunsOnTheReplicaAndFundBalancesAgreeWithTheLedger() throws Exception {
        // given: an organisation with money in and out, on the replica
        TestStack stack = TestStack.get();
        Api api = new Api(stack);
        Api.Organisation org = api.organisation(Api.admin(), "EUR");
        api.receive(Api.admin(), org.id(), org.generalFund(), 10_000, "EUR", 200);
        api.ok("/v1/expenses", Api.admin(), """
                {"organisation_id": "%s", "fund_id": "%s", "amount": 2500, "currency": "EUR", "category": "programs",
                 "recipient_type": "supplier", "recipient_reference": "INV 9"}""".formatted(org.id(), org.generalFund()));
        api.ledger(org.id(), c -> c.size() == 3);
        List<String> queries = queries();
        assertThat(queries).hasSizeGreaterThanOrEqualTo(8);

        try (Connection replica = stack.analystOnReplica()) {
            // the funds read model and the ledger are two processors: wait for both on the replica
            await().atMost(Duration.ofSeconds(30)).until(() -> rows(replica, org.id(),
                    "SELECT balance FROM fund_balances").equals(List.of(List.of("7300")))
                    && rows(replica, org.id(), "SELECT count(*) FROM ledger").equals(List.of(List.of("3"))));

            // when / then: every example runs and the first two (balances two ways) agree
            List<List<List<String>>> results = new ArrayList<>();
            for (String query : queries) {
                if (query.startsWith("BEGIN")) {
                    continue; // the transaction frame itself
                }
                results.add(rows(replica, org.id(), query));
            }
            assertThat(results.get(0)).containsExactly(List.of(org.generalFund(), "EUR", "7300", "10000", "2700"));
            assertThat(results.get(1)).containsExactly(List.of(org.generalFund(), "EUR", "7300"));
            assertThat(results.get(3)).containsExactly(List.of("EUR", "10000", "200", "2.00"));
            assertThat(results).allSatisfy(r -> assertThat(r).isNotNull());
            // the expense, with a note whose text is not the analysts' to read
            assertThat(results).anySatisfy(r -> assertThat(r).containsExactly(List.of("3", "2500", "EUR", "t")));
            assertThatThrownBy(() -> rows(replica, org.id(), "SELECT text FROM ledger_notes"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("permission denied for table ledger_notes");

            // and without an organisation the tenant views are empty, not an error
            try (Statement statement = replica.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT count(*) FROM ledger")) {
                rs.next();
                assertThat(rs.getLong(1)).isZero();
            }
        }
        // while the query side's role, which shows the organisation its notes, reads it
        try (Connection replica = stack.readonlyOnReplica()) {
            assertThat(rows(replica, org.id(), "SELECT text FROM ledger_notes")).containsExactly(List.of("INV 9"));
        }
    }

    /** The guide's ```sql blocks. */
    static List<String> queries() throws IOException {
        Path guide = Path.of("..", "docs", "analysts.md");
        Matcher blocks = SQL_BLOCK.matcher(Files.readString(guide));
        List<String> queries = new ArrayList<>();
        while (blocks.find()) {
            queries.add(blocks.group(1).trim());
        }
        return queries;
    }

    private static List<List<String>> rows(Connection connection, String organisationId, String sql) throws SQLException {
        connection.setAutoCommit(false);
        try (PreparedStatement set = connection.prepareStatement("SELECT amply_set_org(?)")) {
            set.setString(1, organisationId);
            set.execute();
            List<List<String>> rows = new ArrayList<>();
            try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql.replaceAll(";\\s*$", ""))) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= columns; i++) {
                        row.add(rs.getString(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } finally {
            connection.rollback();
            connection.setAutoCommit(true);
        }
    }
}
