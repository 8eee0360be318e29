package io.amply.db;

import org.axonframework.eventhandling.deadletter.jdbc.DeadLetterSchema;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;

/**
 * Maps Axon's JDBC stores onto the snake_case tables that V2__axon_tables.sql creates, so that
 * Flyway, not Axon, owns them. Both sides use these.
 */
public final class AxonSchemas {

    /**
     * How long the processors of either side look again for an index they read past whose event was
     * not yet committed (a gap): until events read after it are older than this. Then it is given up
     * for good, so it must not come before the last moment the event could still commit: the database
     * refuses to commit events more than 15 s after their transaction began or they were created
     * (V30__event_commit_deadline.sql), so every gap is filled or gone within twice that, well inside
     * this (Axon's default, named here because the deadline is built against it).
     */
    public static final int GAP_TIMEOUT_MS = 60_000;

    /**
     * Axon also gives a gap up once it is this many indexes behind. Its default, 10,000, is seconds at
     * a high rate, while the gap's transaction may still commit. A token holds at most this many gaps
     * (the identity never skips by design; a rolled-back append leaves its indexes unused), read back
     * as one array parameter ({@link GapsAsOneArray}) and written with the token after every batch: so
     * 60,000, which covers twice the commit deadline (30 s) up to 2,000 events/s, more than this
     * system has been measured to append (docs/benchmarks.md), and keeps a token's row under a
     * megabyte. Axon drops the gaps older than the timeout whenever there are more than 250.
     */
    public static final int MAX_GAP_OFFSET = 60_000;

    private AxonSchemas() {
    }

    public static EventSchema events() {
        return EventSchema.builder()
                .eventTable("domain_event_entry")
                .snapshotTable("snapshot_event_entry")
                .globalIndexColumn("global_index")
                .eventIdentifierColumn("event_identifier")
                .aggregateIdentifierColumn("aggregate_identifier")
                .sequenceNumberColumn("sequence_number")
                .typeColumn("type")
                .timestampColumn("time_stamp")
                .payloadTypeColumn("payload_type")
                .payloadRevisionColumn("payload_revision")
                .payloadColumn("payload")
                .metaDataColumn("meta_data")
                .build();
    }

    public static TokenSchema tokens() {
        return TokenSchema.builder()
                .setTokenTable("token_entry")
                .setProcessorNameColumn("processor_name")
                .setSegmentColumn("segment")
                .setTokenColumn("token")
                .setTokenTypeColumn("token_type")
                .setTimestampColumn("timestamp")
                .setOwnerColumn("owner")
                .build();
    }

    public static DeadLetterSchema deadLetters() {
        return DeadLetterSchema.builder()
                .deadLetterTable("dead_letter_entry")
                .deadLetterIdentifierColumn("dead_letter_id")
                .processingGroupColumn("processing_group")
                .sequenceIdentifierColumn("sequence_identifier")
                .sequenceIndexColumn("sequence_index")
                .messageTypeColumn("message_type")
                .eventIdentifierColumn("event_identifier")
                .timestampColumn("time_stamp")
                .payloadTypeColumn("payload_type")
                .payloadRevisionColumn("payload_revision")
                .payloadColumn("payload")
                .metaDataColumn("meta_data")
                .aggregateTypeColumn("type")
                .aggregateIdentifierColumn("aggregate_identifier")
                .sequenceNumberColumn("sequence_number")
                .tokenTypeColumn("token_type")
                .tokenColumn("token")
                .enqueuedAtColumn("enqueued_at")
                .lastTouchedColumn("last_touched")
                .processingStartedColumn("processing_started")
                .causeTypeColumn("cause_type")
                .causeMessageColumn("cause_message")
                .diagnosticsColumn("diagnostics")
                .build();
    }
}
