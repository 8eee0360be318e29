package io.amply.ledger.hash;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** The two hashes of ledger-hash-v1 §2. */
public final class LedgerHashes {

    public static final Pattern HASH_SHAPE = Pattern.compile("^sha256:[a-f0-9]{64}$");
    public static final long MAX_SAFE_INTEGER = 9_007_199_254_740_991L;

    private LedgerHashes() {
    }

    public static String contentHash(ObjectNode content) {
        return sha256(Jcs.canonicalize(content));
    }

    public static String entryHash(String contentHash, String prevEntryHash) {
        return sha256(Jcs.canonicalize(link(contentHash, prevEntryHash)));
    }

    public static ObjectNode link(String contentHash, String prevEntryHash) {
        ObjectNode link = JsonNodeFactory.instance.objectNode();
        link.put("content_hash", contentHash);
        link.put("prev_entry_hash", prevEntryHash);
        return link;
    }

    public static boolean isHash(String value) {
        return value != null && HASH_SHAPE.matcher(value).matches();
    }

    /**
     * Chains new content onto a head: computes the content hash from the entry's content and the
     * entry hash from that and {@code prevEntryHash} (null for sequence 1).
     */
    public static LedgerEntry seal(String id, String organisationId, long sequence, String type, long amount,
                                   String currency, String visibility, ObjectNode metadata, String createdAt,
                                   String prevEntryHash) {
        if (Math.abs(amount) > MAX_SAFE_INTEGER) {
            throw new IllegalArgumentException("|amount| must not exceed 2^53 - 1");
        }
        LedgerEntry unsealed = new LedgerEntry(id, organisationId, sequence, type, amount, currency, visibility,
                metadata, createdAt, null, prevEntryHash, null);
        String contentHash = contentHash(unsealed.content());
        return new LedgerEntry(id, organisationId, sequence, type, amount, currency, visibility, metadata,
                createdAt, contentHash, prevEntryHash, entryHash(contentHash, prevEntryHash));
    }

    static String sha256(String canonical) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
