package io.amply.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.amply.ledger.hash.LedgerEntry;
import io.amply.ledger.hash.LedgerTime;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A {@code delayed_public} entry's content is withheld from the public ledger until its
 * {@code public_after}, then shown, without the entry being rewritten (ledger-hash-v1 §5).
 */
class DelayedPublicIT {

    @Test
    void aDelayedPublicDonationIsRevealedAtItsPublicAfterAndNotBefore() {
        // given: a donation delayed for a year, one internal only, and one delayed for 3 seconds (recorded last, so
        // that the 3 seconds are left for the ledger to catch up)
        TestStack stack = TestStack.get();
        Api api = new Api(stack);
        Api.Organisation org = api.organisation(Api.admin(), "EUR");
        Instant nextYear = Instant.now().plus(365, ChronoUnit.DAYS);
        String later = donation(api, org, 1_000, "delayed_public", nextYear);
        String hidden = donation(api, org, 2_000, "internal_only", null);
        Instant soon = Instant.now().plusSeconds(3);
        String revealed = donation(api, org, 3_000, "delayed_public", soon);

        // when: the public reads the ledger before the 3 seconds are over
        List<LedgerEntry> chainBefore = api.ledger(org.id(), c -> c.size() == 3);
        Map<String, String> entryOf = entryIdsByDonation(chainBefore);
        Map<String, JsonNode> first = publicLedger(stack, org.id(), page -> page.size() == 3);
        Instant firstReadAt = Instant.now();

        // then: hashes for every entry, but no content yet
        assertThat(firstReadAt).as("the ledger was read before %s; the stack was too slow for this test", soon)
                .isBefore(soon);
        for (String donation : List.of(later, hidden, revealed)) {
            assertWithheld(first.get(entryOf.get(donation)));
        }

        // when: the 3 seconds have passed
        Map<String, JsonNode> second = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> publicLedger(stack, org.id(), page -> page.size() == 3),
                        page -> page.get(entryOf.get(revealed)).has("amount"));

        // then: that one entry shows its content, with the moment it was waiting for
        JsonNode shown = second.get(entryOf.get(revealed));
        assertThat(shown.get("type").asText()).isEqualTo("donation_received");
        assertThat(shown.get("amount").asLong()).isEqualTo(3_000);
        assertThat(shown.get("metadata").get("donation_id").asText()).isEqualTo(revealed);
        assertThat(shown.get("metadata").get("public_after").asText()).isEqualTo(LedgerTime.format(soon));
        // and: the year-ahead and the internal_only entries are still withheld
        assertWithheld(second.get(entryOf.get(later)));
        assertWithheld(second.get(entryOf.get(hidden)));
        // and: nothing was rewritten: the same entries, with the same hashes, as at the first read
        for (String entry : entryOf.values()) {
            assertThat(second.get(entry).get("entry_hash")).isEqualTo(first.get(entry).get("entry_hash"));
            assertThat(second.get(entry).get("content_hash")).isEqualTo(first.get(entry).get("content_hash"));
        }
        assertThat(api.ledger(org.id(), c -> c.size() == 3)).isEqualTo(chainBefore);
    }

    @Test
    void aPublicAfterInThePastIsRefusedAndNothingIsWritten() {
        // given
        TestStack stack = TestStack.get();
        Api api = new Api(stack);
        Api.Organisation org = api.organisation(Api.admin(), "EUR");

        // when
        JsonNode error = api.refused("/v1/donations", Api.admin(), body(org, 1_000, "delayed_public",
                Instant.now().minusSeconds(60)), 400, "invalid_request");

        // then
        assertThat(error.get("param").asText()).isEqualTo("public_after");
        donation(api, org, 500, "public_full", null);
        assertThat(api.ledger(org.id(), c -> !c.isEmpty())).singleElement()
                .satisfies(e -> assertThat(e.amount()).isEqualTo(500));
    }

    private static String donation(Api api, Api.Organisation org, long amount, String visibility, Instant publicAfter) {
        return api.ok("/v1/donations", Api.admin(), body(org, amount, visibility, publicAfter)).get("id").asText();
    }

    private static String body(Api.Organisation org, long amount, String visibility, Instant publicAfter) {
        return """
                {"organisation_id": "%s", "fund_id": "%s", "amount": %d, "currency": "EUR", "visibility": "%s",%s
                 "payment": {"method": "bank_transfer", "reference": "BACS %d"}}
                """.formatted(org.id(), org.generalFund(), amount, visibility,
                publicAfter == null ? "" : " \"public_after\": \"" + publicAfter + "\",", amount);
    }

    /** The public ledger page by entry id, once it satisfies {@code until}. */
    private static Map<String, JsonNode> publicLedger(TestStack stack, String org, Predicate<JsonNode> until) {
        JsonNode page = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> Http.get(stack.apps().queryUrl() + "/v1/public/organisations/" + org + "/ledger", null)
                        .body().get("data"), until);
        Map<String, JsonNode> byId = new HashMap<>();
        page.forEach(entry -> byId.put(entry.get("id").asText(), entry));
        return byId;
    }

    private static Map<String, String> entryIdsByDonation(List<LedgerEntry> chain) {
        Map<String, String> ids = new HashMap<>();
        chain.forEach(e -> ids.put(e.metadata().get("donation_id").asText(), e.id()));
        return ids;
    }

    /** What PublicView shows of an entry whose content is withheld: identity, visibility, time and hashes only. */
    private static void assertWithheld(JsonNode entry) {
        assertThat(entry.has("entry_hash")).isTrue();
        assertThat(entry.has("content_hash")).isTrue();
        assertThat(entry.has("amount")).as("amount of %s", entry).isFalse();
        assertThat(entry.has("metadata")).as("metadata of %s", entry).isFalse();
        assertThat(entry.has("type")).isFalse();
    }
}
