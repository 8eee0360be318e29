package io.amply.local;

import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A donation's commit whose connection drops before PostgreSQL has made it visible: the command
 * side cannot see its events yet, and must neither answer it as failed nor record it a second time.
 * A second command node reaches PostgreSQL through a proxy the test can cut, and its commits wait
 * for a synchronous standby (its sessions alone run {@code synchronous_commit = on}) that the test
 * names and takes away: while a commit waits there it is flushed but not yet visible, as in the
 * moment a connection can drop.
 */
class LostCommitIT {

    private final TestStack stack = TestStack.get();
    private final Api api = new Api(stack);

    @Test
    void aDonationWhoseCommitLostItsConnectionBeforeItWasVisibleIsRecordedOnceAndAnsweredAsRecorded() throws Exception {
        // given: an organisation, and a second command node whose connections pass through the proxy
        Api.Organisation org = api.organisation(Api.admin(), "EUR");
        try (CuttableProxy proxy = new CuttableProxy(stack.postgres.primaryPort());
             ConfigurableApplicationContext node = secondNode(proxy)) {
            String nodeUrl = "http://localhost:" + node.getEnvironment().getProperty("local.server.port");
            String donation = """
                    {"organisation_id": "%s", "fund_id": "%s", "amount": %d, "currency": "EUR",
                     "payment": {"method": "bank_transfer", "reference": "BACS lost commit"}}""";
            assertThat(Http.post(nodeUrl + "/v1/donations", Api.admin(), donation.formatted(org.id(), org.generalFund(), 100))
                    .status()).isEqualTo(201); // the node is warm before its commits are made to wait

            // when: the donation's commit waits for the standby, its connection is cut, and the standby
            // is taken away once the node has done what it does next
            CompletableFuture<Http.Response> answer;
            try {
                api.superuser("ALTER SYSTEM SET synchronous_standby_names = 'amply_absent_standby'", "SELECT pg_reload_conf()");
                answer = CompletableFuture.supplyAsync(() -> Http.post(nodeUrl + "/v1/donations", Api.admin(),
                        donation.formatted(org.id(), org.generalFund(), 2500)));
                int committing = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                        .until(() -> backendOf(proxy, "wait_event = 'SyncRep' AND query = 'COMMIT'"), port -> port > 0);
                proxy.cut(committing);
                // the node tells the donation again under its id, which waits for the cut commit's outcome
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                        .until(() -> answer.isDone() || backendOf(proxy, "wait_event_type = 'Lock'") > 0);
            } finally {
                api.superuser("ALTER SYSTEM RESET synchronous_standby_names", "SELECT pg_reload_conf()");
            }

            // then: answered as recorded, with the donation that was stored, and stored once
            Http.Response response = answer.get(60, TimeUnit.SECONDS);
            assertThat(response.status()).as(response.raw()).isEqualTo(201);
            String id = response.body().get("data").get("id").asText();
            assertThat(api.count("SELECT count(*) FROM donations WHERE organisation_id = ? AND amount = 2500", org.id()))
                    .isEqualTo(1);
            assertThat(api.count("SELECT count(*) FROM donations WHERE id = ?", id)).isEqualTo(1);
            assertThat(api.balance(org.generalFund())).isEqualTo(2600);
        }
    }

    /** A command node whose sessions reach the primary through {@code proxy} and commit synchronously. */
    private ConfigurableApplicationContext secondNode(CuttableProxy proxy) {
        return stack.commandNode("jdbc:postgresql://localhost:" + proxy.port() + "/" + AmplyDatabase.NAME
                + "?options=-c%20synchronous_commit%3Don");
    }

    /** The client port of a backend reached through the proxy that matches {@code condition}, or 0. */
    private int backendOf(CuttableProxy proxy, String condition) throws SQLException {
        try (Connection superuser = stack.superuser(); Statement statement = superuser.createStatement();
             ResultSet rs = statement.executeQuery("SELECT client_port FROM pg_stat_activity WHERE " + condition)) {
            while (rs.next()) {
                if (proxy.carries(rs.getInt(1))) {
                    return rs.getInt(1);
                }
            }
            return 0;
        }
    }
}
