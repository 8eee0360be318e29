package io.amply.local;

import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node that cannot reach its database answers each request within seconds, 503 with
 * {@code Retry-After} in the API's error format (DatabaseUnavailable), instead of holding it for
 * Hikari's default 30 s and answering a generic 500; once the database is back it serves again,
 * without a restart. The command side's database is the primary, the query side's reads' the replica.
 */
class DatabaseOutageIT {

    private final TestStack stack = TestStack.get();
    private final Api api = new Api(stack);

    @Test
    void aCommandNodeWithoutItsDatabaseAnswers503WithRetryAfterAndRecoversByItself() throws Exception {
        // given: a command node whose sessions reach the primary through a proxy, and that has recorded a donation
        Api.Organisation org = api.organisation(Api.admin(), "EUR");
        String donation = """
                {"organisation_id": "%s", "fund_id": "%s", "amount": %d, "currency": "EUR",
                 "payment": {"method": "bank_transfer", "reference": "BACS outage"}}""";
        try (CuttableProxy proxy = new CuttableProxy(stack.postgres.primaryPort());
             ConfigurableApplicationContext node = stack.commandNode(
                     "jdbc:postgresql://localhost:" + proxy.port() + "/" + AmplyDatabase.NAME)) {
            String nodeUrl = "http://localhost:" + node.getEnvironment().getProperty("local.server.port");
            assertThat(Http.post(nodeUrl + "/v1/donations", Api.admin(), donation.formatted(org.id(), org.generalFund(), 100))
                    .status()).isEqualTo(201);

            // when: the database goes away (its connections cut, new ones refused)
            proxy.down();
            long started = System.nanoTime();
            Http.Response write = Http.post(nodeUrl + "/v1/donations", Api.admin(), donation.formatted(org.id(), org.generalFund(), 200));
            Duration waited = Duration.ofNanos(System.nanoTime() - started);
            Http.Response read = Http.get(nodeUrl + "/v1/funds/" + org.generalFund(), Api.admin());

            // then: both are told to come back, in the API's format, without waiting out Hikari's default 30 s
            for (Http.Response answer : new Http.Response[]{write, read}) {
                assertThat(answer.status()).as(answer.raw()).isEqualTo(503);
                assertThat(answer.headers().firstValue("Retry-After")).contains("5");
                assertThat(answer.body().at("/error/code").asText()).isEqualTo("server_error");
                assertThat(answer.body().at("/error/message").asText()).contains("database").contains("unavailable").contains("req_")
                        .doesNotContain("Exception");
            }
            assertThat(waited).isLessThan(Duration.ofSeconds(15)); // Hikari's default would have held it 30 s

            // when: it is back
            proxy.up();

            // then: the same node records donations again by itself
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> Http.post(nodeUrl
                    + "/v1/donations", Api.admin(), donation.formatted(org.id(), org.generalFund(), 400)).status() == 201);
        }
        // and the refused donation was not recorded
        assertThat(api.count("SELECT count(*) FROM donations WHERE organisation_id = ? AND amount = 200", org.id())).isZero();
        assertThat(api.count("SELECT count(*) FROM donations WHERE organisation_id = ? AND amount = 400", org.id())).isOne();
    }

    @Test
    void aQueryNodeWithoutItsReplicaAnswers503WithRetryAfterSaysSoInItsHealthAndRecoversByItself() throws Exception {
        // given: a query node whose reads reach the replica through a proxy, and an organisation it has read
        Api.Organisation org = api.organisation(Api.admin(), "EUR");
        try (CuttableProxy proxy = new CuttableProxy(stack.postgres.replicaPort());
             ConfigurableApplicationContext node = stack.queryNode(
                     "jdbc:postgresql://localhost:" + proxy.port() + "/" + AmplyDatabase.NAME)) {
            String nodeUrl = "http://localhost:" + node.getEnvironment().getProperty("local.server.port");
            String health = "http://localhost:" + node.getEnvironment().getProperty("local.management.port") + "/actuator/health";
            String page = nodeUrl + "/v1/public/organisations/" + org.id();
            await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(page, null).status() == 200);

            // when: the replica goes away (its connections cut, new ones refused)
            proxy.down();
            long started = System.nanoTime();
            Http.Response read = Http.get(page, null);
            Duration waited = Duration.ofNanos(System.nanoTime() - started);

            // then: the reader is told to come back, in the API's format, within the pool's 5 s wait rather than Hikari's 30 s
            assertThat(read.status()).as(read.raw()).isEqualTo(503);
            assertThat(read.headers().firstValue("Retry-After")).contains("5");
            assertThat(read.body().at("/error/code").asText()).isEqualTo("server_error");
            assertThat(read.body().at("/error/message").asText()).contains("database").contains("req_")
                    .doesNotContain("Exception").doesNotContain("written");
            assertThat(waited).isLessThan(Duration.ofSeconds(15));
            // and its operators see why: the replica component is DEGRADED, and the lag gauge says it does not answer
            await().atMost(Duration.ofSeconds(30)).until(() -> "DEGRADED".equals(
                    Http.get(health, null).body().at("/components/replica/status").asText()));

            // when: it is back
            proxy.up();

            // then: the same node serves the page again by itself, and its replica is UP
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .until(() -> Http.get(page, null).status() == 200);
            await().atMost(Duration.ofSeconds(30)).until(() -> "UP".equals(
                    Http.get(health, null).body().at("/components/replica/status").asText()));
        }
    }
}
