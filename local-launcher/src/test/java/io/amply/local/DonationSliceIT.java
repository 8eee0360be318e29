package io.amply.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.amply.ledger.hash.ChainVerdict;
import io.amply.ledger.hash.ChainVerifier;
import io.amply.ledger.hash.LedgerEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The thin slice, end to end over HTTP: organisation → completed donation → event store on the
 * primary → hash-chained ledger entries → public ledger served from the replica → Kafka.
 */
class DonationSliceIT {

    private static final String MEMBER_KEY = "sk_test_member_of_one_org_01";
    private static TestStack stack;
    private static TestStack.Apps apps;

    @BeforeAll
    static void start() throws SQLException {
        stack = TestStack.get();
        apps = stack.apps();
        AmplyDatabase.ensureUser(stack.database, "usr_slicemember", "member@example.org", "Member", null,
                "key_slicemember", MEMBER_KEY);
    }

    private static String admin() {
        return TestStack.SECRETS.devApiKey();
    }

    private static JsonNode createOrganisation(String apiKey) {
        Http.Response created = Http.post(apps.commandUrl() + "/v1/organisations", apiKey,
                "{\"name\": \"Wells for All\", \"country\": \"GB\", \"currency\": \"GBP\"}");
        assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
        return created.body().get("data");
    }

    private static String donationBody(String org, String fund, String amount, String currency) {
        return """
                {"organisation_id": "%s", "fund_id": "%s", "amount": %s, "currency": "%s",
                 "payment": {"method": "bank_transfer", "reference": "BACS 0042", "fee_amount": 30, "fee_charged_by": "bank"}}
                """.formatted(org, fund, amount, currency);
    }

    private static long eventsOf(String aggregateId) throws SQLException {
        try (Connection superuser = stack.superuser();
             PreparedStatement query = superuser.prepareStatement("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ?")) {
            query.setString(1, aggregateId);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void aCompletedDonationTravelsFromTheApiToTheLedgerTheReplicaAndKafka() throws Exception {
        // given: an organisation, created with its General Fund
        JsonNode organisation = createOrganisation(admin());
        String org = organisation.get("id").asText();
        JsonNode fund = organisation.get("funds").get(0);
        assertThat(org).startsWith("org_").hasSizeLessThanOrEqualTo(20);
        assertThat(organisation.get("status").asText()).isEqualTo("pending");
        assertThat(fund.get("name").asText()).isEqualTo("General Fund");
        assertThat(fund.get("type").asText()).isEqualTo("general");

        // when: a completed donation of £25.00 with a £0.30 bank fee is recorded
        Http.Response recorded = Http.post(apps.commandUrl() + "/v1/donations", admin(),
                donationBody(org, fund.get("id").asText(), "2500", "GBP"));

        // then: the event is in the event store on the primary
        assertThat(recorded.status()).as(String.valueOf(recorded.body())).isEqualTo(201);
        String donation = recorded.body().get("data").get("id").asText();
        String eventId;
        try (Connection superuser = stack.superuser();
             PreparedStatement query = superuser.prepareStatement(
                     "SELECT event_identifier, payload_type FROM domain_event_entry WHERE aggregate_identifier = ? ORDER BY sequence_number DESC LIMIT 1")) {
            query.setString(1, donation);
            try (ResultSet rs = query.executeQuery()) {
                assertThat(rs.next()).isTrue();
                eventId = rs.getString(1);
                assertThat(rs.getString(2)).isEqualTo("io.amply.events.donation.DonationReceivedEvent");
                assertThat(UUID.fromString(eventId).version()).as("a time-ordered identifier (MessageIdentifiers)").isEqualTo(7);
            }
        }

        // and: the public ledger, from the replica, shows a valid chain of the gross and the fee
        JsonNode page = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> Http.get(apps.queryUrl() + "/v1/public/organisations/" + org + "/ledger", null).body(),
                        body -> body.get("data").size() == 2);
        assertThat(page.get("meta").get("served_from").asText()).isEqualTo("replica");
        List<LedgerEntry> published = new ArrayList<>();
        page.get("data").forEach(line -> published.add(LedgerEntry.fromJson(line)));
        ChainVerdict verdict = ChainVerifier.verify(published);
        assertThat(verdict.valid()).as(verdict.reason()).isTrue();
        assertThat(published).extracting(LedgerEntry::type).containsExactly("donation_received", "fee");
        assertThat(published).extracting(LedgerEntry::amount).containsExactly(2500L, -30L);
        assertThat(published.get(0).metadata().get("donation_id").asText()).isEqualTo(donation);
        assertThat(published.get(1).metadata().get("charged_by").asText()).isEqualTo("bank");
        assertThat(published).isEqualTo(LedgerRowsReader.chainAsSuperuser(stack, org));

        // and: the query side's read connection really is the standby
        DataSource replica = apps.query().getBean("replicaDataSource", DataSource.class);
        try (Connection connection = replica.getConnection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT pg_is_in_recovery(), current_user")) {
            rs.next();
            assertThat(rs.getBoolean(1)).isTrue();
            assertThat(rs.getString(2)).isEqualTo("amply_readonly");
        }

        // and: a real consumer reads the event from Kafka, keyed by the organisation
        ConsumerRecord<String, byte[]> record = consumeEvent("amply.events.donation", eventId);
        assertThat(record.key()).isEqualTo(org);
        assertThat(header(record, "ce_type")).isEqualTo("io.amply.donation.DonationReceived.v1");
        JsonNode data = Http.JSON.readTree(record.value());
        assertThat(data.get("donation_id").asText()).isEqualTo(donation);
        assertThat(data.get("amount").asLong()).isEqualTo(2500);
    }

    @Test
    void aMemberOfOneOrganisationCannotRecordADonationForAnother() throws SQLException {
        // given: the member owns org A; org B belongs to someone else
        createOrganisation(MEMBER_KEY);
        JsonNode other = createOrganisation(admin());

        // when
        Http.Response refused = Http.post(apps.commandUrl() + "/v1/donations", MEMBER_KEY,
                donationBody(other.get("id").asText(), other.get("funds").get(0).get("id").asText(), "2500", "GBP"));

        // then
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body().get("error").get("code").asText()).isEqualTo("authorization_error");
        assertThat(eventsOf(other.get("id").asText())).isEqualTo(2); // created + its fund; no donation
        assertThat(Http.get(apps.commandUrl() + "/v1/organisations/" + other.get("id").asText(), MEMBER_KEY).status())
                .isEqualTo(403);
    }

    @Test
    void badInputGetsAClearErrorAndWritesNothing() throws SQLException {
        // given
        JsonNode organisation = createOrganisation(admin());
        String org = organisation.get("id").asText();
        String fund = organisation.get("funds").get(0).get("id").asText();
        String url = apps.commandUrl() + "/v1/donations";

        // when / then
        Map<String, Http.Response> cases = Map.of(
                "amount", Http.post(url, admin(), donationBody(org, fund, "10.5", "GBP")),
                "amount ", Http.post(url, admin(), donationBody(org, fund, "-5", "GBP")),
                "currency", Http.post(url, admin(), donationBody(org, fund, "100", "EUR")),
                "fund_id", Http.post(url, admin(), donationBody(org, "fund_doesnotexist00", "100", "GBP")),
                "", Http.post(url, admin(), "{not json"));
        cases.forEach((param, response) -> {
            assertThat(response.status()).as(param + ": " + response.body()).isEqualTo(400);
            assertThat(response.body().get("error").get("code").asText()).isEqualTo("invalid_request");
            if (!param.isBlank()) {
                assertThat(response.body().get("error").get("param").asText()).isEqualTo(param.strip());
            }
        });
        Http.Response anonymous = Http.post(url, null, donationBody(org, fund, "100", "GBP"));
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.body().get("error").get("code").asText()).isEqualTo("authentication_error");
        try (Connection superuser = stack.superuser(); PreparedStatement query = superuser.prepareStatement(
                "SELECT count(*) FROM ledger_entries WHERE organisation_id = ?")) {
            query.setString(1, org);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).isZero();
            }
        }
    }

    private static ConsumerRecord<String, byte[]> consumeEvent(String topic, String eventId) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "slice-test-" + eventId);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            return await().atMost(Duration.ofSeconds(60)).until(
                    () -> StreamSupport.stream(consumer.poll(Duration.ofMillis(500)).spliterator(), false)
                            .filter(r -> eventId.equals(header(r, "ce_id"))).findFirst().orElse(null),
                    found -> found != null);
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
