package io.amply.ledger.hash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.security.PrivateKey;

/**
 * A signed commitment to an organisation's chain head (ledger-hash-v1 §4). {@code id} is ours
 * and is not signed.
 */
public record Checkpoint(String id, String organisationId, long sequence, String entryHash, String createdAt,
                         String keyId, String signature) {

    /** The signed body: exactly {@code v, organisation_id, sequence, entry_hash, created_at, key_id}. */
    public ObjectNode body() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("v", 1);
        body.put("organisation_id", organisationId);
        body.put("sequence", sequence);
        body.put("entry_hash", entryHash);
        body.put("created_at", createdAt);
        body.put("key_id", keyId);
        return body;
    }

    /**
     * UTF-8 of JCS({@link #body()}), written from the fields in the body's JCS member order: the
     * same bytes, without a tree, and without setting up Jackson's databind (which Jcs does), which
     * takes a command-line verifier longer than checking its checkpoints.
     */
    public byte[] signedBytes() {
        CanonicalBytes out = new CanonicalBytes();
        out.ascii("{\"created_at\":");
        out.stringOrNull(createdAt);
        out.ascii(",\"entry_hash\":");
        out.stringOrNull(entryHash);
        out.ascii(",\"key_id\":");
        out.stringOrNull(keyId);
        out.ascii(",\"organisation_id\":");
        out.stringOrNull(organisationId);
        out.ascii(",\"sequence\":");
        out.number(sequence);
        out.ascii(",\"v\":1}");
        return out.toByteArray();
    }

    public static Checkpoint sign(String id, String organisationId, long sequence, String entryHash,
                                  String createdAt, String keyId, PrivateKey key) {
        Checkpoint unsigned = new Checkpoint(id, organisationId, sequence, entryHash, createdAt, keyId, null);
        return new Checkpoint(id, organisationId, sequence, entryHash, createdAt, keyId,
                Ed25519Keys.sign(key, unsigned.signedBytes()));
    }

    public ObjectNode toJson() {
        ObjectNode json = body();
        json.put("signature", signature);
        if (id != null) {
            json.put("id", id);
        }
        return json;
    }

    public static Checkpoint fromJson(JsonNode json) {
        JsonNode v = json.get("v");
        if (v == null || !v.canConvertToExactIntegral() || v.intValue() != 1) {
            throw new IllegalArgumentException("checkpoint is not version 1");
        }
        JsonNode sequence = json.get("sequence");
        if (sequence == null || !sequence.canConvertToExactIntegral()) {
            throw new IllegalArgumentException("checkpoint sequence must be an integer");
        }
        return new Checkpoint(text(json, "id"), text(json, "organisation_id"), sequence.longValue(),
                text(json, "entry_hash"), text(json, "created_at"), text(json, "key_id"), text(json, "signature"));
    }

    private static String text(JsonNode json, String member) {
        JsonNode value = json.get(member);
        return value == null || value.isNull() ? null : value.asText();
    }
}
