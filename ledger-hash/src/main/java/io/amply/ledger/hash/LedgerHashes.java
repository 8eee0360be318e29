package io.amply.ledger.hash;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Arrays;
import java.util.regex.Pattern;

/** The two hashes of ledger-hash-v1 §2. */
public final class LedgerHashes {

    public static final Pattern HASH_SHAPE = Pattern.compile("^sha256:[a-f0-9]{64}$");
    public static final long MAX_SAFE_INTEGER = 9_007_199_254_740_991L;

    private LedgerHashes() {
    }

    public static String contentHash(ObjectNode content) {
        // Canonical UTF-8 bytes straight into the digest: the same bytes as Jcs.canonicalize(...).getBytes(UTF_8).
        return LedgerDigest.format(LedgerDigest.forThisThread().of(content));
    }

    public static String entryHash(String contentHash, String prevEntryHash) {
        return LedgerDigest.format(LedgerDigest.forThisThread().link(contentHash, prevEntryHash));
    }

    public static ObjectNode link(String contentHash, String prevEntryHash) {
        ObjectNode link = JsonNodeFactory.instance.objectNode();
        link.put("content_hash", contentHash);
        link.put("prev_entry_hash", prevEntryHash);
        return link;
    }

    /** Whether {@code value} matches {@link #HASH_SHAPE} (checked by hand: it runs for every entry). */
    public static boolean isHash(String value) {
        if (value == null || value.length() != 71 || !value.startsWith("sha256:")) {
            return false;
        }
        int bad = 0;
        for (int i = 7; i < 71; i++) {
            char c = value.charAt(i);
            bad |= c < 128 ? NOT_HEX[c] : 1;
        }
        return bad == 0;
    }

    /** Whether {@code line[from, to)} matches {@link #HASH_SHAPE}. */
    static boolean isHash(byte[] line, int from, int to) {
        return to - from == 71 && isHashAt(line, from);
    }

    /** Whether the 71 bytes at {@code from} (which must exist) match {@link #HASH_SHAPE}. */
    static boolean isHashAt(byte[] line, int from) {
        if (line[from] != 's' || line[from + 1] != 'h' || line[from + 2] != 'a' || line[from + 3] != '2'
                || line[from + 4] != '5' || line[from + 5] != '6' || line[from + 6] != ':') {
            return false;
        }
        // A table and no early exit: digits and letters come at random, so a branch per byte mispredicts.
        int bad = 0;
        for (int i = from + 7; i < from + 71; i++) {
            bad |= NOT_HEX[line[i] & 0xFF];
        }
        return bad == 0;
    }

    /** 0 for the bytes of lowercase hex, 1 for every other byte. */
    private static final byte[] NOT_HEX = new byte[256];

    static {
        Arrays.fill(NOT_HEX, (byte) 1);
        for (char c : "0123456789abcdef".toCharArray()) {
            NOT_HEX[c] = 0;
        }
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
        // the content written from the fields in JCS order, as the verifiers read it, not through a tree
        String contentHash = LedgerDigest.format(LedgerDigest.forThisThread().content(unsealed));
        return new LedgerEntry(id, organisationId, sequence, type, amount, currency, visibility, metadata,
                createdAt, contentHash, prevEntryHash, entryHash(contentHash, prevEntryHash));
    }
}
