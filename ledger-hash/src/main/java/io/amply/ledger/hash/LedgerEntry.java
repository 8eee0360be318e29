package io.amply.ledger.hash;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Objects;

/**
 * One entry of an organisation's chain, as exported (ledger-hash-v1 §6).
 *
 * <p>In a public export an entry whose content is withheld carries only {@code id},
 * {@code organisation_id}, {@code sequence}, {@code visibility}, {@code created_at} and the three
 * hashes; then {@code type}, {@code amount}, {@code currency} and {@code metadata} are null and
 * {@link #hasContent()} is false.
 */
public record LedgerEntry(
        String id,
        String organisationId,
        long sequence,
        String type,
        Long amount,
        String currency,
        String visibility,
        ObjectNode metadata,
        String createdAt,
        String contentHash,
        String prevEntryHash,
        String entryHash) {

    public boolean hasContent() {
        return type != null && amount != null && currency != null && metadata != null;
    }

    /** The ten members the content hash covers (ledger-hash-v1 §2). */
    public ObjectNode content() {
        if (!hasContent()) {
            throw new IllegalStateException("content of entry " + id + " is withheld");
        }
        ObjectNode content = JsonNodeFactory.instance.objectNode();
        content.put("v", 1);
        content.put("id", id);
        content.put("organisation_id", organisationId);
        content.put("sequence", sequence);
        content.put("type", type);
        content.put("amount", amount);
        content.put("currency", currency);
        content.put("visibility", visibility);
        content.set("metadata", metadata);
        content.put("created_at", createdAt);
        return content;
    }

    /** The export line: all twelve members, or the always-public eight when content is withheld. */
    public ObjectNode toJson(boolean withContent) {
        ObjectNode line = JsonNodeFactory.instance.objectNode();
        line.put("id", id);
        line.put("organisation_id", organisationId);
        line.put("sequence", sequence);
        if (withContent) {
            line.put("type", type);
            line.put("amount", amount);
            line.put("currency", currency);
        }
        line.put("visibility", visibility);
        if (withContent) {
            line.set("metadata", metadata);
        }
        line.put("created_at", createdAt);
        line.put("content_hash", contentHash);
        line.put("prev_entry_hash", prevEntryHash);
        line.put("entry_hash", entryHash);
        return line;
    }

    public LedgerEntry withoutContent() {
        return new LedgerEntry(id, organisationId, sequence, null, null, null, visibility, null, createdAt,
                contentHash, prevEntryHash, entryHash);
    }

    /**
     * Parses an entry's metadata as the reference does (a repeated member is refused); throws
     * IllegalArgumentException, saying why, when it is not JSON or not an object.
     */
    public static ObjectNode metadataFromJson(String json) {
        JsonNode metadata;
        try {
            metadata = Jcs.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("metadata is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (!metadata.isObject()) {
            throw new IllegalArgumentException("metadata must be a JSON object");
        }
        return (ObjectNode) metadata;
    }

    /** Reads one export line; members that are missing are null (the verifier reports them). */
    /** The members an export line carries only with its content (ledger-hash-v1 §6). */
    private static final List<String> CONTENT_MEMBERS = List.of("type", "amount", "currency", "metadata");

    public static LedgerEntry fromJson(JsonNode line) {
        Objects.requireNonNull(line, "line");
        if (!line.isObject()) {
            throw new IllegalArgumentException("an export line must be a JSON object");
        }
        JsonNode metadata = line.get("metadata");
        if (metadata != null && !metadata.isNull() && !metadata.isObject()) {
            throw new IllegalArgumentException("metadata must be a JSON object");
        }
        JsonNode sequence = line.get("sequence");
        if (sequence == null || !sequence.canConvertToExactIntegral() || !sequence.canConvertToLong()) {
            throw new IllegalArgumentException("sequence must be an integer");
        }
        JsonNode amount = line.get("amount");
        if (amount != null && !amount.isNull() && !(amount.canConvertToExactIntegral() && amount.canConvertToLong())) {
            throw new IllegalArgumentException("amount must be an integer");
        }
        // the whole content or none of it (§6): a line with part of it would pass as withheld, and what it
        // does show (a changed amount, say) would never be checked against its content_hash
        long shown = CONTENT_MEMBERS.stream().filter(line::has).count();
        if (shown > 0 && (shown < CONTENT_MEMBERS.size() || CONTENT_MEMBERS.stream().anyMatch(m -> line.get(m).isNull()))) {
            throw new IllegalArgumentException("an entry carries type, amount, currency and metadata all together, "
                    + "or none of them when its content is withheld");
        }
        return new LedgerEntry(
                text(line, "id"),
                text(line, "organisation_id"),
                sequence.longValue(),
                text(line, "type"),
                amount == null || amount.isNull() ? null : amount.longValue(),
                text(line, "currency"),
                text(line, "visibility"),
                metadata == null || metadata.isNull() ? null : (ObjectNode) metadata,
                text(line, "created_at"),
                text(line, "content_hash"),
                text(line, "prev_entry_hash"),
                text(line, "entry_hash"));
    }

    private static String text(JsonNode line, String member) {
        JsonNode value = line.get(member);
        return value == null || value.isNull() ? null : value.asText();
    }
}
