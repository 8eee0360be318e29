package io.amply.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.amply.ledger.hash.LedgerEntry;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An event the ledger projector cannot handle is parked with every later event of its organisation
 * (the chain waits, it neither forks nor skips), shows in health and in the dead-letter endpoint,
 * leaves other organisations' chains moving, and is written in order once retried after the cause
 * is fixed.
 */
class PoisonEventIT {

    private static TestStack stack;
    private static Api api;
    private static String query;
    private static String operators;

    @BeforeAll
    static void start() {
        stack = TestStack.get();
        api = new Api(stack);
        query = stack.apps().queryUrl();
        operators = stack.apps().queryManagementUrl();
    }

    @Test
    void aPoisonEventParksItsOrganisationsChainUntilRetried() throws Exception {
        // given: events of an organisation the query side does not know (yet), in the event store
        String poisoned = Tenants.newId("org_");
        String fund = Tenants.newId("fund_");
        append(stack, poisoned, fund, 700);
        append(stack, poisoned, fund, 800);

        // when: another organisation goes on receiving donations
        Api.Organisation healthy = api.organisation(Api.admin(), "EUR");
        api.receive(Api.admin(), healthy.id(), healthy.generalFund(), 1_000, "EUR", 0);

        // then: its chain grows, the poisoned one has nothing, and the parked events are visible
        api.ledger(healthy.id(), c -> c.size() == 1);
        JsonNode parked = await().atMost(Duration.ofSeconds(30)).until(
                () -> Http.get(operators + "/ledgerdeadletters", null).body(), b -> b.size() == 2);
        assertThat(parked.get(0).get("sequence_identifier").asText()).isEqualTo(poisoned);
        assertThat(parked.get(0).get("cause_message").asText()).contains("unknown");
        JsonNode health = Http.get(operators + "/health", null).body();
        assertThat(health.get("components").get("ledgerDeadLetters").get("status").asText()).isEqualTo("DOWN");
        assertThat(health.get("components").get("ledgerDeadLetters").get("details").get("parked_events").asLong()).isEqualTo(2);
        assertThat(api.chain(poisoned)).isEmpty();
        // and its ledger's freshness stops before the first parked event (the token moved past it): a read asking
        // for that event's position is "not yet", not its chain without it
        long parkedFrom;
        try (Connection superuser = stack.superuser(); PreparedStatement first = superuser.prepareStatement(
                "SELECT amply_ledger_parked_from(?)")) {
            first.setString(1, poisoned);
            try (java.sql.ResultSet rs = first.executeQuery()) {
                rs.next();
                parkedFrom = rs.getLong(1);
            }
        }
        assertThat(parkedFrom).isPositive();
        // an organisation the database does not know has no public pages, its parked events notwithstanding
        assertThat(Http.get(query + "/v1/public/organisations/" + poisoned + "/ledger", null).status()).isEqualTo(404);
        // once it exists (its events still parked, its fund still missing), its page's freshness says where its chain stops
        try (Connection app = stack.app()) {
            Tenants.createOrganisation(app, poisoned);
        }
        stack.postgres.awaitReplicaCaughtUp(Duration.ofSeconds(30));
        JsonNode page = Http.get(query + "/v1/public/organisations/" + poisoned + "/ledger", null).body();
        assertThat(page.at("/meta/freshness/position").asLong()).isLessThan(parkedFrom);
        assertThat(page.at("/meta/freshness/parked_from").asLong()).isEqualTo(parkedFrom);
        Http.Response asked = Http.get(query + "/v1/public/organisations/" + poisoned + "/ledger?min_position=" + parkedFrom, null);
        assertThat(asked.status()).as(asked.raw()).isEqualTo(409);
        assertThat(asked.body().at("/error/message").asText()).contains("parked");
        // a crowd asking for it at once: 16 wait (amply.read-your-writes.max-waiting), the rest answer at once
        ExecutorService crowd = Executors.newFixedThreadPool(24);
        String parkedPage = query + "/v1/public/organisations/" + poisoned + "/ledger?min_position=" + parkedFrom;
        List<Future<Http.Response>> asking = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            asking.add(crowd.submit(() -> Http.get(parkedPage, null)));
        }
        List<String> answers = new ArrayList<>();
        for (Future<Http.Response> answer : asking) {
            assertThat(answer.get().status()).as(answer.get().raw()).isEqualTo(409);
            answers.add(answer.get().body().at("/error/message").asText());
        }
        crowd.shutdown();
        assertThat(answers.stream().filter(message -> message.contains("as many reads waiting as it allows")))
                .hasSizeGreaterThanOrEqualTo(8);
        // and the cross-check takes its chain as behind, waiting for the parked events, not as divergent
        JsonNode check = Http.post(operators + "/ledgercrosscheck", null, "").body();
        assertThat(check.get("divergences").findValuesAsText("organisation_id")).as(check.toString()).doesNotContain(poisoned);
        JsonNode waiting = StreamSupport.stream(check.get("behind").spliterator(), false)
                .filter(chain -> chain.get("organisation_id").asText().equals(poisoned)).findFirst().orElseThrow();
        assertThat(waiting.get("entries_not_yet_in_ledger").asLong()).isEqualTo(2);
        assertThat(waiting.get("parked_from").asLong()).isEqualTo(parkedFrom);
        // the read models without a dead-letter queue cannot write these events either: they retry,
        // and health says which one is stuck, how far behind and why. `transactions` stays stuck until the
        // fund exists (below); `fund-balances` needs only the organisation, which exists now, so its retry
        // (after a back-off of seconds) may already have passed and its lag be gone, its error still recent
        JsonNode stuck = await().atMost(Duration.ofSeconds(30)).until(
                () -> Http.get(operators + "/health", null).body().get("components").get("eventProcessors"),
                c -> c.get("status").asText().equals("DEGRADED") && c.at("/details/transactions/last_error").isObject());
        assertThat(stuck.at("/details/fund-balances/last_error/error").asText()).contains("fund_movements");
        assertThat(stuck.at("/details/transactions/last_error/error").asText()).contains("transactions");
        assertThat(stuck.at("/details/transactions/behind").asLong()).as(stuck.toString()).isPositive();
        assertThat(stuck.get("details").get("ledger").has("last_error")).isFalse();

        // when: the cause is fixed (the organisation exists, above) and the parked events are retried
        // (and its fund exists, which the other read models (funds, transactions) refer to: they have no
        // dead-letter queue and retry these events until they can write them)
        createFund(stack, poisoned, fund);
        JsonNode retried = Http.post(operators + "/ledgerdeadletters", null, "{}").body();

        // then: both entries, in event order, as one valid chain; nothing parked any more
        assertThat(retried.get("still_parked").asLong()).as(retried.toString()).isZero();
        List<LedgerEntry> chain = api.ledger(poisoned, c -> c.size() == 2);
        assertThat(chain).extracting(LedgerEntry::amount).containsExactly(700L, 800L);
        await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(query + "/v1/public/organisations/" + poisoned
                + "/ledger?min_position=" + parkedFrom, null).status() == 200);
        assertThat(Http.get(operators + "/health", null).body().get("components").get("ledgerDeadLetters").get("status").asText())
                .isEqualTo("UP");
        // and the stuck read models catch up by themselves once they can write (after their back-off)
        await().atMost(Duration.ofSeconds(90)).until(() -> Http.get(operators + "/health", null).body()
                .at("/components/eventProcessors/details"), details -> details.at("/transactions/behind").asLong() == 0
                && details.at("/fund-balances/behind").asLong() == 0);
    }

    @Test
    void anEventWhosePayloadCannotBeReadIsParkedAsItsOrganisationsAndHoldsUpNoOtherOne() throws Exception {
        // given: an organisation's event whose payload this code cannot read (a record changed without an upcaster),
        // then a readable one of the same organisation, in another segment of every processor than a healthy one's
        Api.Organisation healthy = api.organisation(Api.admin(), "EUR");
        String poisoned = inAnotherSegmentThan(healthy.id());
        String fund = Tenants.newId("fund_");
        String unreadable = append(stack, poisoned, fund, "\"seven hundred\"");
        append(stack, poisoned, fund, "800");

        try {
            // when: the healthy organisation receives a donation
            api.receive(Api.admin(), healthy.id(), healthy.generalFund(), 1_000, "EUR", 0);

            // then: its ledger entry is written and its fund's balance read (until 2026-11-29 every segment of every
            // processor failed on the unreadable event where Axon asks for its organisation, and retried it for ever)
            api.ledger(healthy.id(), c -> c.size() == 1);
            // (the command side wrote each of its events' organisation into their metadata, where the processors read it)
            assertThat(api.count("SELECT count(*) FROM domain_event_entry WHERE convert_from(payload, 'UTF8')::jsonb ->> "
                    + "'organisationId' = ? AND convert_from(meta_data, 'UTF8')::jsonb ->> 'organisationId' = ?",
                    healthy.id(), healthy.id())).isGreaterThanOrEqualTo(3);
            assertThat(api.count("SELECT count(*) FROM domain_event_entry WHERE convert_from(payload, 'UTF8')::jsonb ->> "
                    + "'organisationId' = ? AND (convert_from(meta_data, 'UTF8')::jsonb ->> 'organisationId') IS DISTINCT FROM ?",
                    healthy.id(), healthy.id())).isZero();
            await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(query + "/v1/public/organisations/" + healthy.id()
                    + "/funds", null).body().at("/data/0/balance").asLong() == 1_000);
            // and the ledger parked both of the other organisation's events, the unreadable one for what it is
            JsonNode parked = await().atMost(Duration.ofSeconds(30)).until(
                    () -> Http.get(operators + "/ledgerdeadletters", null).body(),
                    b -> StreamSupport.stream(b.spliterator(), false).filter(l -> l.get("sequence_identifier").asText().equals(
                            poisoned)).count() == 2);
            JsonNode first = StreamSupport.stream(parked.spliterator(), false)
                    .filter(l -> l.get("event_identifier").asText().equals(unreadable)).findFirst().orElseThrow();
            assertThat(first.get("cause_type").asText()).as(first.toString()).endsWith(".SerializationException");
            assertThat(first.get("cause_message").asText()).as(first.toString()).contains("deserializing payload");
            assertThat(api.chain(poisoned)).isEmpty();
        } finally {
            // when (also when the above failed: the event would hold up its segments for the rest of the run): a release
            // that reads it is deployed (here: its bytes made readable where they are stored), and the organisation
            // and fund the read models refer to exist, the parked events are retried
            String readable = payload(poisoned, fund, Tenants.newId("don_"), "700");
            try (Connection owner = stack.owner()) {
                for (String table : List.of("domain_event_entry", "dead_letter_entry")) {
                    try (PreparedStatement fix = owner.prepareStatement(
                            "UPDATE " + table + " SET payload = ? WHERE event_identifier = ?")) {
                        fix.setBytes(1, readable.getBytes(StandardCharsets.UTF_8));
                        fix.setString(2, unreadable);
                        fix.executeUpdate(); // the dead letter's copy too, if it was parked
                    }
                }
            }
            createOrganisationAndFund(stack, poisoned, fund);
            // and the release starts its processors afresh: one that kept the event's old bytes in the stream it had
            // open (read before the fix) would otherwise go on failing on them
            stack.apps().query().getBean(EventProcessingConfiguration.class).eventProcessors().values().forEach(processor -> {
                processor.shutDown();
                processor.start();
            });
        }
        JsonNode retried = Http.post(operators + "/ledgerdeadletters", null, "{}").body();

        // then: both entries in event order; the read models that retried it meanwhile catch up
        assertThat(retried.get("still_parked").asLong()).as(retried.toString()).isZero();
        assertThat(api.ledger(poisoned, c -> c.size() == 2)).extracting(LedgerEntry::amount).containsExactly(700L, 800L);
        await().atMost(Duration.ofSeconds(90)).until(() -> Http.get(operators + "/health", null).body()
                .at("/components/eventProcessors/details"), details -> details.at("/transactions/behind").asLong() == 0
                && details.at("/fund-balances/behind").asLong() == 0 && details.at("/kafka-publisher/behind").asLong() == 0);
    }

    @Test
    void aParkedEventLeftAloneAtTheHeadOfItsChainWithoutHavingFailedIsRetriedByItself() throws Exception {
        // given: two events of an organisation the query side does not know yet, both parked (the first failed, the
        // second was queued behind it)
        String organisation = Tenants.newId("org_");
        String fund = Tenants.newId("fund_");
        String first = append(stack, organisation, fund, "700");
        String second = append(stack, organisation, fund, "800");
        SequencedDeadLetterQueue<EventMessage<?>> queue = stack.apps().query().getBean(EventProcessingConfiguration.class)
                .deadLetterQueue("ledger").orElseThrow();
        await().atMost(Duration.ofSeconds(30)).until(() -> size(queue.deadLetterSequence(organisation)) == 2);
        createOrganisationAndFund(stack, organisation, fund);

        // when: what a retry racing a new event leaves: the retry handles the first and finds no next one, while the
        // second, having seen the chain still parked, is queued behind it (here: taken out of the queue, the first
        // retried alone, the second put back)
        DeadLetter<? extends EventMessage<?>> queued = StreamSupport.stream(queue.deadLetterSequence(organisation).spliterator(), false)
                .filter(letter -> letter.message().getIdentifier().equals(second)).findFirst().orElseThrow();
        assertThat(queued.cause()).isEmpty();
        queue.evict(queued);
        assertThat(stack.apps().query().getBean(EventProcessingConfiguration.class)
                .sequencedDeadLetterProcessor("ledger").orElseThrow()
                .process(letter -> letter.message().getIdentifier().equals(first))).isTrue();
        assertThat(api.ledger(organisation, c -> c.size() == 1)).extracting(LedgerEntry::amount).containsExactly(700L);
        queue.enqueue(organisation, queued);

        // then: it is retried without anyone asking, and the chain goes on in event order
        assertThat(api.ledger(organisation, c -> c.size() == 2)).extracting(LedgerEntry::amount).containsExactly(700L, 800L);
        await().atMost(Duration.ofSeconds(30)).until(() -> !queue.contains(organisation));
    }

    private static int size(Iterable<?> letters) {
        int n = 0;
        for (Object ignored : letters) {
            n++;
        }
        return n;
    }

    /** A new organisation id that every processor (four segments each, query-side.yml) handles in another segment. */
    private static String inAnotherSegmentThan(String organisationId) {
        String id = Tenants.newId("org_");
        while ((id.hashCode() & 3) == (organisationId.hashCode() & 3)) {
            id = Tenants.newId("org_");
        }
        return id;
    }

    private static void createOrganisationAndFund(TestStack stack, String organisationId, String fundId) throws Exception {
        try (Connection app = stack.app()) {
            Tenants.createOrganisation(app, organisationId);
        }
        createFund(stack, organisationId, fundId);
    }

    /** The fund's row the read models refer to, as the command side writes it (the events here bypass it). */
    private static void createFund(TestStack stack, String organisationId, String fundId) throws Exception {
        try (Connection app = stack.app()) {
            app.setAutoCommit(false);
            Tenants.setOrganisation(app, organisationId);
            try (PreparedStatement insert = app.prepareStatement("""
                    INSERT INTO funds (id, organisation_id, name, type, currency, created_at)
                    VALUES (?, ?, 'General Fund', 'general', 'EUR', now())""")) {
                insert.setString(1, fundId);
                insert.setString(2, organisationId);
                insert.executeUpdate();
            }
            app.commit();
        }
    }

    private static String payload(String organisationId, String fundId, String donationId, String amount) {
        return """
                {"donationId":"%s","organisationId":"%s","fundId":"%s","campaignId":null,"amount":%s,"currency":"EUR",\
                "feeAmount":0,"feeChargedBy":null,"paymentMethod":"bank_transfer","paymentReference":"P","visibility":"public_full",\
                "businessId":null}""".formatted(donationId, organisationId, fundId, amount);
    }

    /** Appends a DonationReceivedEvent as the command side stores it since 2026-11-29 (its organisation in the metadata). */
    private static String append(TestStack stack, String organisationId, String fundId, String amount) throws Exception {
        return insert(stack, organisationId, fundId, amount, "{\"organisationId\":\"" + organisationId + "\"}");
    }

    /** Appends a DonationReceivedEvent as stored before 2026-11-29 (no metadata). */
    private static void append(TestStack stack, String organisationId, String fundId, long amount) throws Exception {
        insert(stack, organisationId, fundId, String.valueOf(amount), "{}");
    }

    private static String insert(TestStack stack, String organisationId, String fundId, String amount, String metaData)
            throws Exception {
        String donationId = Tenants.newId("don_");
        String eventId = UUID.randomUUID().toString();
        try (Connection owner = stack.owner(); PreparedStatement insert = owner.prepareStatement("""
                INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type, time_stamp,
                                                payload_type, payload_revision, payload, meta_data)
                VALUES (?, ?, 0, 'Donation', ?, 'io.amply.events.donation.DonationReceivedEvent', '1', ?, ?)""")) {
            insert.setString(1, eventId);
            insert.setString(2, donationId);
            insert.setString(3, Instant.now().toString());
            insert.setBytes(4, payload(organisationId, fundId, donationId, amount).getBytes(StandardCharsets.UTF_8));
            insert.setBytes(5, metaData.getBytes(StandardCharsets.UTF_8));
            insert.executeUpdate();
        }
        return eventId;
    }
}
