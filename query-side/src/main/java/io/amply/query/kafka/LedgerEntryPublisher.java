package io.amply.query.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.amply.db.TenantContext;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Publishes ledger entries as written, with both hashes, to {@code amply.ledger.entries}, keyed by
 * organisation, so a consumer can follow each chain. Each chain's published position lives in
 * {@code ledger_heads.published_sequence} and advances only after the broker acknowledged
 * everything up to it: at least once, in order, resumed from where it stopped.
 */
@Component
class LedgerEntryPublisher {

    static final String TOPIC = "amply.ledger.entries";
    private static final int BATCH = 500;

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
        List<String> organisations = jdbc.queryForList(
                "SELECT organisation_id FROM ledger_heads WHERE sequence > published_sequence LIMIT 1000", String.class);
        for (String organisationId : organisations) {
            try {
                while (publishBatch(organisationId)) {
                    // keep going until this chain is caught up
                }
            } catch (RuntimeException e) {
                status.failed(TOPIC, e);
                return; // Kafka is probably down: try again on the next tick, from the same position
            }
        }
    }

    /** Publishes the next batch of one chain; true when there may be more. */
    private boolean publishBatch(String organisationId) {
        Boolean more = transactions.execute(tx -> {
            jdbc.query(TenantContext.SET_ORGANISATION, rs -> null, organisationId);
            // one publisher per chain across nodes; an advisory lock, so the ledger writer is never held up
            if (!Boolean.TRUE.equals(jdbc.queryForObject("SELECT pg_try_advisory_xact_lock(hashtextextended(?, 99))",
                    Boolean.class, organisationId))) {
                return false;
            }
            Long from = jdbc.queryForObject("SELECT published_sequence FROM ledger_heads WHERE organisation_id = ?",
                    Long.class, organisationId);
            List<LedgerEntry> entries = jdbc.query(LedgerRows.SELECT
                    + " WHERE organisation_id = ? AND sequence > ? ORDER BY sequence LIMIT " + BATCH, rows, organisationId, from);
            if (entries.isEmpty()) {
                return false;
            }
            List<CompletableFuture<?>> sends = new ArrayList<>(entries.size());
            for (LedgerEntry entry : entries) {
                sends.add(kafka.send(record(entry)));
            }
            try {
                CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(timeoutMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (Exception e) {
                throw new IllegalStateException("Kafka did not acknowledge ledger entries of " + organisationId, e);
            }
            long last = entries.get(entries.size() - 1).sequence();
            jdbc.update("UPDATE ledger_heads SET published_sequence = greatest(published_sequence, ?) WHERE organisation_id = ?",
                    last, organisationId);
            status.sent(TOPIC, entries.size());
            return entries.size() == BATCH;
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
