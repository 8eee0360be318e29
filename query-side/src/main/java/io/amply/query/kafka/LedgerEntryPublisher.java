package io.amply.query.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.amply.ledger.hash.LedgerEntry;
import io.amply.query.ReplicaCatchUp;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes ledger entries as written, with both hashes, to {@code amply.ledger.entries}, keyed by
 * organisation, so a consumer can follow each chain. Each chain's published position lives in
 * {@code ledger_publication} and advances only after the broker acknowledged everything up to it:
 * at least once, in order, resumed from where it stopped.
 * <p>
 * A round takes the next entries of every chain that is behind, sends them all, waits once for
 * all their acknowledgements and moves each chain past what was acknowledged, in one commit: the
 * wait is per round, not per chain (one chain after another, under load the entries reached Kafka
 * 5–15 s after the ledger; docs/benchmarks.md). A round sends nothing before the replica has
 * replayed what it read ({@link ReplicaCatchUp}): a failover must not lose an entry consumers already
 * have. The positions are not in {@code ledger_heads}: the ledger writer holds a chain's head row
 * until its batch commits, and the publisher would wait for that.
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
    /**
     * Chains behind, least recently published first, so that no chain waits for busier ones. Every
     * chain's head compared with its position costs ≈ 20 ms at 10,000 chains, so a look every 200 ms
     * takes only the heads the ledger writer moved lately (index ledger_heads_updated; a head's
     * {@code updated_at} is its writer's transaction start, on the database's clock, and a minute is
     * far beyond any ledger batch), and every head only every so often ({@link #everyChain}).
     */
    private static final String CHAINS_BEHIND = """
            SELECT h.organisation_id FROM ledger_heads h LEFT JOIN ledger_publication p USING (organisation_id)
             WHERE h.sequence > coalesce(p.published_sequence, 0)""";
    private static final String ORDER = " ORDER BY p.updated_at NULLS FIRST LIMIT " + CHAINS;
    private static final String CHAINS_BEHIND_LATELY = CHAINS_BEHIND + " AND h.updated_at > now() - interval '1 minute'" + ORDER;
    private static final String CHAINS_BEHIND_ALL = CHAINS_BEHIND + ORDER;
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
    private final TopicsCreated topics;
    private final ReplicaCatchUp replica;
    private final long timeoutMillis;
    private final Duration everyChain;
    /** The longest pause between rounds while they fail. */
    static final Duration MAX_PAUSE = Duration.ofSeconds(10);
    private int failedRounds;
    private Instant pausedUntil = Instant.MIN;
    /** When the publisher last compared every chain (never, at first). */
    private Instant everyChainAt = Instant.MIN;

    LedgerEntryPublisher(JdbcTemplate jdbc, TransactionTemplate transactions, KafkaTemplate<String, byte[]> kafka,
                         LedgerRows rows, ObjectMapper json, PublishingStatus status, TopicsCreated topics,
                         ReplicaCatchUp replica,
                         @Value("${amply.kafka.acknowledgement-timeout:30s}") Duration timeout,
                         @Value("${amply.kafka.ledger-every-chain-interval:PT30S}") Duration everyChain) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.kafka = kafka;
        this.rows = rows;
        this.json = json;
        this.status = status;
        this.topics = topics;
        this.replica = replica;
        this.timeoutMillis = timeout.toMillis();
        this.everyChain = everyChain;
    }

    @Scheduled(fixedDelayString = "${amply.kafka.ledger-publish-interval:PT0.2S}", initialDelayString = "PT2S")
    void publish() {
        // Every chain now and then: a chain left behind long ago (the broker down for a while, a
        // failing chain, a ledger batch slower than a minute) is found although its head is old.
        Instant now = Instant.now();
        String behind = CHAINS_BEHIND_LATELY;
        if (!now.isBefore(everyChainAt.plus(everyChain))) {
            everyChainAt = now;
            behind = CHAINS_BEHIND_ALL;
        }
        if (now.isBefore(pausedUntil)) {
            return;
        }
        try {
            topics.require();
            while (publishRound(behind)) {
                // keep going while a round had to leave entries for the next
            }
            failedRounds = 0;
        } catch (RuntimeException e) {
            // Kafka or the database is down (last_error names which): again from the positions reached, after a
            // pause that doubles with each failed round, from one tick to MAX_PAUSE, rather than every tick
            status.failed(TOPIC, e);
            failedRounds++;
            pausedUntil = now.plus(pauseAfter(failedRounds));
        }
    }

    /** 200 ms after the first failed round, doubling up to {@link #MAX_PAUSE}. */
    static Duration pauseAfter(int failedRounds) {
        Duration pause = Duration.ofMillis(200L << Math.min(failedRounds - 1, 10));
        return pause.compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause;
    }

    /** What a round published, reported once its positions are committed. */
    private record Round(boolean more, List<Instant> entryTimes, Instant acknowledgedAt, RuntimeException failure) {
    }

    /**
     * Publishes the next entries of the chains behind; true when there may be more. A chain's
     * position moves past the entries the broker acknowledged in an unbroken run from its start, so
     * a chain whose records fail (or time out) holds back no other chain; then the failure is thrown.
     */
    private boolean publishRound(String chainsBehind) {
        Round round = transactions.execute(tx -> {
            List<String> behind = jdbc.queryForList(chainsBehind, String.class);
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
                return new Round(false, List.of(), null, null);
            }
            replica.awaitCommitted();
            List<List<CompletableFuture<?>>> sends = send(chains);
            RuntimeException failure = awaitAcknowledgements(sends);
            Instant acknowledgedAt = Instant.now();
            List<Object[]> positions = new ArrayList<>(chains.size());
            List<Instant> entryTimes = new ArrayList<>(taken);
            for (int c = 0; c < chains.size(); c++) {
                List<LedgerEntry> acknowledged = chains.get(c).subList(0, acknowledgedRun(sends.get(c)));
                if (!acknowledged.isEmpty()) {
                    LedgerEntry last = acknowledged.get(acknowledged.size() - 1);
                    positions.add(new Object[] {last.organisationId(), last.sequence()});
                    acknowledged.forEach(entry -> entryTimes.add(Instant.parse(entry.createdAt())));
                }
            }
            // one row per chain (organisation ids are distinct, as ledger_heads' key): pgjdbc's batch
            // rewriting may send this as one multi-row INSERT, which must not name a row twice
            if (!positions.isEmpty()) {
                jdbc.batchUpdate(PUBLISHED, positions);
            }
            boolean more = failure == null
                    && (taken >= ROUND || behind.size() == CHAINS || chains.stream().anyMatch(chain -> chain.size() == BATCH));
            return new Round(more, entryTimes, acknowledgedAt, failure);
        });
        if (!round.entryTimes().isEmpty()) {
            status.sent(TOPIC, round.entryTimes().size());
            status.acknowledged(TOPIC, round.entryTimes(), round.acknowledgedAt());
        }
        if (round.failure() != null) {
            throw round.failure();
        }
        return round.more();
    }

    /** Each chain's sends; once the producer refuses one (it blocks while the broker is unknown), none more. */
    List<List<CompletableFuture<?>>> send(List<List<LedgerEntry>> chains) {
        List<List<CompletableFuture<?>>> sends = new ArrayList<>(chains.size());
        RuntimeException refused = null;
        for (List<LedgerEntry> chain : chains) {
            List<CompletableFuture<?>> ofChain = new ArrayList<>(chain.size());
            for (LedgerEntry entry : chain) {
                if (refused == null) {
                    try {
                        ofChain.add(kafka.send(record(entry)));
                    } catch (RuntimeException e) {
                        refused = e;
                    }
                }
                if (refused != null) {
                    ofChain.add(CompletableFuture.failedFuture(refused));
                }
            }
            sends.add(ofChain);
        }
        return sends;
    }

    /** Waits for every acknowledgement, up to the timeout; null when all came, else why not. */
    private RuntimeException awaitAcknowledgements(List<List<CompletableFuture<?>>> sends) {
        try {
            CompletableFuture.allOf(sends.stream().flatMap(List::stream).toArray(CompletableFuture[]::new))
                    .get(timeoutMillis, TimeUnit.MILLISECONDS);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            return new IllegalStateException("Kafka did not acknowledge every ledger entry of the round", e);
        }
    }

    /** How many of a chain's records, from its first, the broker acknowledged without a gap. */
    static int acknowledgedRun(List<CompletableFuture<?>> ofChain) {
        int n = 0;
        while (n < ofChain.size() && ofChain.get(n).isDone() && !ofChain.get(n).isCompletedExceptionally()) {
            n++;
        }
        return n;
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
