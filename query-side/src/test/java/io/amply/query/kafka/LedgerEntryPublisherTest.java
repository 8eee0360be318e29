package io.amply.query.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.amply.ledger.hash.LedgerEntry;
import io.amply.ledger.hash.LedgerHashes;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

/** Which of a round's entries count as published: a chain moves only past what the broker acknowledged. */
class LedgerEntryPublisherTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void failedRoundsArePausedLongerEachTimeUpToTenSeconds() {
        assertThat(List.of(1, 2, 3, 6, 7, 16).stream().map(LedgerEntryPublisher::pauseAfter).toList()).containsExactly(
                Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(800), Duration.ofMillis(6_400),
                Duration.ofSeconds(10), Duration.ofSeconds(10));
    }

    @Test
    void aFailedRoundIsNotTriedAgainOnTheNextTick() {
        // given: a publisher whose rounds fail (no database here: the round's transaction cannot begin)
        PublishingStatus status = mock(PublishingStatus.class);
        LedgerEntryPublisher publisher = new LedgerEntryPublisher(null, null, null, null, JSON, status,
                mock(TopicsCreated.class), null, Duration.ofSeconds(1), Duration.ofSeconds(30));

        // when: two ticks at once
        publisher.publish();
        publisher.publish();

        // then: one attempt, one failure counted; the second tick waited
        verify(status, times(1)).failed(eq(LedgerEntryPublisher.TOPIC), any());
    }

    @Test
    void aChainMovesPastTheAcknowledgedRunFromItsFirstRecordOnly() {
        // given: acknowledged, acknowledged, failed, acknowledged (a retry of the batch behind the failure), pending
        List<CompletableFuture<?>> ofChain = List.of(CompletableFuture.completedFuture("ok"), CompletableFuture.completedFuture("ok"),
                CompletableFuture.failedFuture(new TimeoutException("expired")), CompletableFuture.completedFuture("ok"),
                new CompletableFuture<>());

        // when / then: not past the failure, even though a later record was acknowledged
        assertThat(LedgerEntryPublisher.acknowledgedRun(ofChain)).isEqualTo(2);
        assertThat(LedgerEntryPublisher.acknowledgedRun(List.of(new CompletableFuture<>(), CompletableFuture.completedFuture("ok"))))
                .isZero();
        assertThat(LedgerEntryPublisher.acknowledgedRun(List.of(CompletableFuture.completedFuture("ok")))).isOne();
    }

    @Test
    void onceTheProducerRefusesARecordNothingMoreOfTheRoundIsSent() {
        // given: a producer that takes three records, then refuses (as it does when the broker stays unknown)
        RefusingAfter kafka = new RefusingAfter(3);
        LedgerEntryPublisher publisher = new LedgerEntryPublisher(null, null, kafka, null, JSON, null, null, null, Duration.ofSeconds(1),
                Duration.ofSeconds(30));
        List<List<LedgerEntry>> chains = List.of(chain("org_a", 2), chain("org_b", 3), chain("org_c", 2));

        // when
        List<List<CompletableFuture<?>>> sends = publisher.send(chains);

        // then: the first chain's two and the second's first went out; nothing after the refusal was offered
        assertThat(kafka.offered).extracting(ProducerRecord::key).containsExactly("org_a", "org_a", "org_b");
        assertThat(sends).extracting(List::size).containsExactly(2, 3, 2);
        assertThat(sends.stream().map(LedgerEntryPublisher::acknowledgedRun).toList()).containsExactly(2, 1, 0);
    }

    private static List<LedgerEntry> chain(String organisationId, int entries) {
        List<LedgerEntry> chain = new ArrayList<>();
        String prev = null;
        for (long sequence = 1; sequence <= entries; sequence++) {
            LedgerEntry entry = LedgerHashes.seal("led_" + organisationId + sequence, organisationId, sequence, "donation_received",
                    100 * sequence, "GBP", "public_full", JSON.createObjectNode().put("fund_id", "fund_1"),
                    "2026-11-27T03:40:00.000000Z", prev);
            chain.add(entry);
            prev = entry.entryHash();
        }
        return chain;
    }

    /** Acknowledges the first records at once, then throws as KafkaProducer.send does after max.block.ms. */
    private static final class RefusingAfter extends KafkaTemplate<String, byte[]> {
        private final int accepted;
        private final List<ProducerRecord<String, byte[]>> offered = new ArrayList<>();

        RefusingAfter(int accepted) {
            super(new DefaultKafkaProducerFactory<>(Map.of()));
            this.accepted = accepted;
        }

        @Override
        public CompletableFuture<SendResult<String, byte[]>> send(ProducerRecord<String, byte[]> record) {
            if (offered.size() == accepted) {
                throw new TimeoutException("Topic amply.ledger.entries not present in metadata after 10000 ms.");
            }
            offered.add(record);
            return CompletableFuture.completedFuture(new SendResult<>(record, null));
        }
    }
}
