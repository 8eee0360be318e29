package io.amply.query.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.amply.ledger.hash.LedgerEntry;
import io.amply.query.ledger.LedgerRows;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Publishes ledger entries as written, with both hashes, to {@code amply.ledger.entries}, keyed by
 * organisation, so a consumer can follow each chain. Each chain's published position lives in
 * {@code ledger_publication} and advances only after the broker acknowledged everything up to it:
 * at least once, in order, resumed from where it stopped.
 * <p>
 * A round takes the next entries of every chain that is behind, sends them all, waits once for
 * all their acknowledgements and moves every position in one commit: the wait is per round, not
 * per chain (one chain after another, fifty busy chains took seconds per round and the entries
 * reached Kafka tens of seconds late). The positions are not in {@code ledger_heads}: the ledger
 * writer holds a chain's head row until its batch commits, and the publisher would wait for that.
 */
@Component
class LedgerEntryPublisher {

    static final String TOPIC = "amply.ledger.entries";
    /** Entries of one chain per round. */
    private static final int BATCH = 500;
    /** Entries of all chains per round, so that a round's records and its wait stay bounded. */
    private static final int ROUND = 5_000;
    /** Chains looked at per round. */
    private static final int CHAINS = 1_000;
    /** Chains behind, least recently published first, so that no chain waits for busier ones. */
    private static final String CHAINS_BEHIND = """
            SELECT h.organisation_id FROM ledger_heads h LEFT JOIN ledger_publication p USING (organisation_id)
             WHERE h.sequence > coalesce(p.published_sequence, 0)
             ORDER BY p.updated_at NULLS FIRST LIMIT\s""" + CHAINS;
    /** The organisation's context, and whether this node may publish its chain: one publisher per chain across nodes. */
    private static final String CLAIM = "SELECT amply_set_org(?), pg_try_advisory_xact_lock(hashtextextended(?, 99))";
    /** Read after the claim, so that another node's last round is seen. */
    private static final String NEXT_ENTRIES = LedgerRows.SELECT
            + " WHERE organisation_id = ? AND sequence > (SELECT coalesce(max(published_sequence), 0)"
            + " FROM ledger_publication WHERE organisation_id = ?) ORDER BY sequence LIMIT " + BATCH;
    private static final String PUBLISHED = """
            INSERT INTO ledger_publication AS p (organisation_id, published_sequence) VALUES (?, ?)
            ON CONFLICT (organisation_id) DO UPDATE
               SET published_sequence = greatest(p.published_sequence, EXCLUDED.published_sequence), updated_at = now()""";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final KafkaTemplate<String, byte[]> kafka;
    private final LedgerRows rows;
    private final ObjectMapper json;
    private final PublishingStatus status;
    private final long timeoutMillis;

    LedgerEntryPublisher(JdbcTemplate jdbc, TransactionTemplate transactions, KafkaTemplate<String, byte[]> kafka,
                         LedgerRows rows, ObjectMapper json, PublishingStatus status,
                         @Value("${amply.kafka.acknowledgement-timeout:30s}") java.time.Duration timeout) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.kafka = kafka;
        this.rows = rows;
        this.json = json;
        this.status = status;
        this.timeoutMillis = timeout.toMillis();
    }

    @Scheduled(fixedDelayString = "${amply.kafka.ledger-publish-interval:PT0.2S}", initialDelayString = "PT2S")
    void publish() {
        try {
            while (publishRound()) {
                // keep going until every chain is caught up
            }
        } catch (RuntimeException e) {
            status.failed(TOPIC, e); // Kafka is probably down: try again on the next tick, from the same positions
        }
    }

    /** Publishes the next entries of the chains behind; true when there may be more. */
    private boolean publishRound() {
        Boolean more = transactions.execute(tx -> {
            List<String> behind = jdbc.queryForList(CHAINS_BEHIND, String.class);
            List<List<LedgerEntry>> chains = new ArrayList<>();
            int taken = 0;
            for (String organisationId : behind) {
                if (taken >= ROUND) {
                    break;
                }
                if (!Boolean.TRUE.equals(jdbc.queryForObject(CLAIM, (rs, row) -> rs.getBoolean(2), organisationId, organisationId))) {
                    continue; // another node is publishing it
                }
                List<LedgerEntry> entries = jdbc.query(NEXT_ENTRIES, rows, organisationId, organisationId);
                if (!entries.isEmpty()) {
                    chains.add(entries);
                    taken += entries.size();
                }
            }
            if (chains.isEmpty()) {
                return false;
            }
            List<CompletableFuture<?>> sends = new ArrayList<>(taken);
            for (List<LedgerEntry> chain : chains) {
                for (LedgerEntry entry : chain) {
                    sends.add(kafka.send(record(entry)));
                }
            }
            try {
                CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(timeoutMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (Exception e) {
                throw new IllegalStateException("Kafka did not acknowledge the ledger entries of " + chains.size() + " chains", e);
            }
            jdbc.batchUpdate(PUBLISHED, chains.stream()
                    .map(chain -> new Object[] {chain.get(0).organisationId(), chain.get(chain.size() - 1).sequence()})
                    .toList());
            status.sent(TOPIC, taken);
            status.acknowledged(TOPIC, chains.stream().flatMap(List::stream).map(e -> Instant.parse(e.createdAt())).toList());
            return taken >= ROUND || behind.size() == CHAINS || chains.stream().anyMatch(chain -> chain.size() == BATCH);
        });
        return Boolean.TRUE.equals(more);
    }

    private ProducerRecord<String, byte[]> record(LedgerEntry entry) {
        try {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(TOPIC, entry.organisationId(),
                    json.writeValueAsBytes(entry.toJson(true)));
            header(record, "ce_specversion", "1.0");
            header(record, "ce_id", entry.id());
            header(record, "ce_type", "io.amply.ledger.EntryAppended.v1");
            header(record, "ce_source", "urn:amply:ledger");
            header(record, "ce_subject", entry.organisationId() + "/" + entry.sequence());
            header(record, "ce_time", entry.createdAt());
            header(record, "ce_organisationid", entry.organisationId());
            header(record, "content-type", "application/json");
            return record;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void header(ProducerRecord<String, byte[]> record, String name, String value) {
        record.headers().add(new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8)));
    }
}
