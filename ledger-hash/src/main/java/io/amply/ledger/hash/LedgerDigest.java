package io.amply.ledger.hash;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Computes the hashes of ledger-hash-v1 §2 into reused buffers: the canonical form is written
 * straight to UTF-8 bytes and digested, and a digest is compared with a claimed
 * {@code sha256:<hex>} without formatting it. Not thread-safe; one per thread or per verifier.
 */
final class LedgerDigest {

    static final int SIZE = 32;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PREFIX = "sha256:".getBytes(StandardCharsets.US_ASCII);
    private static final ThreadLocal<LedgerDigest> PER_THREAD = ThreadLocal.withInitial(LedgerDigest::new);

    private final MessageDigest sha256;
    private final CanonicalBytes canonical = new CanonicalBytes();
    private final byte[] digest = new byte[SIZE];

    LedgerDigest() {
        sha256 = newSha256();
    }

    /** For static callers; the instance's buffers are overwritten by the next call on the thread. */
    static LedgerDigest forThisThread() {
        return PER_THREAD.get();
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** SHA-256 of JCS(node); the returned array is reused by the next call. */
    byte[] of(JsonNode node) {
        canonical.reset();
        canonical.value(node);
        return digest(canonical.bytes(), 0, canonical.length());
    }

    /**
     * SHA-256 of JCS({@code entry.content()}), written from the entry's fields in the content's JCS
     * member order rather than through a tree; the returned array is reused by the next call.
     */
    byte[] content(LedgerEntry entry) {
        if (!entry.hasContent()) {
            throw new IllegalStateException("content of entry " + entry.id() + " is withheld");
        }
        CanonicalBytes out = canonical;
        out.reset();
        // Members sorted as JCS sorts them: amount < created_at < currency < id < metadata
        // < organisation_id < sequence < type < v < visibility.
        out.ascii("{\"amount\":");
        out.number(entry.amount());
        out.ascii(",\"created_at\":");
        out.stringOrNull(entry.createdAt());
        out.ascii(",\"currency\":");
        out.stringOrNull(entry.currency());
        out.ascii(",\"id\":");
        out.stringOrNull(entry.id());
        out.ascii(",\"metadata\":");
        out.value(entry.metadata());
        out.ascii(",\"organisation_id\":");
        out.stringOrNull(entry.organisationId());
        out.ascii(",\"sequence\":");
        out.number(entry.sequence());
        out.ascii(",\"type\":");
        out.stringOrNull(entry.type());
        out.ascii(",\"v\":1,\"visibility\":");
        out.stringOrNull(entry.visibility());
        out.put((byte) '}');
        return digest(out.bytes(), 0, out.length());
    }

    /** SHA-256 of JCS({@code LedgerHashes.link(contentHash, prevEntryHash)}); reused by the next call. */
    byte[] link(String contentHash, String prevEntryHash) {
        CanonicalBytes out = canonical;
        out.reset();
        out.ascii("{\"content_hash\":");
        out.stringOrNull(contentHash);
        out.ascii(",\"prev_entry_hash\":");
        out.stringOrNull(prevEntryHash);
        out.put((byte) '}');
        return digest(out.bytes(), 0, out.length());
    }

    byte[] digest(byte[] bytes, int from, int length) {
        sha256.update(bytes, from, length);
        try {
            sha256.digest(digest, 0, SIZE);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException("a SHA-256 digest is 32 bytes", e);
        }
        return digest;
    }

    /** Whether {@code claimed} is exactly {@code "sha256:" + lowercase-hex(digest)}. */
    static boolean matches(byte[] digest, String claimed) {
        if (claimed == null || claimed.length() != 7 + 2 * SIZE || !claimed.startsWith("sha256:")) {
            return false;
        }
        for (int i = 0, p = 7; i < SIZE; i++, p += 2) {
            int b = digest[i];
            if (claimed.charAt(p) != HEX[(b >> 4) & 0xF] || claimed.charAt(p + 1) != HEX[b & 0xF]) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code line[hexFrom, hexFrom + 64)} is lowercase-hex(digest). */
    static boolean matches(byte[] digest, byte[] line, int hexFrom) {
        for (int i = 0, p = hexFrom; i < SIZE; i++, p += 2) {
            int b = digest[i];
            if (line[p] != HEX[(b >> 4) & 0xF] || line[p + 1] != HEX[b & 0xF]) {
                return false;
            }
        }
        return true;
    }

    static String format(byte[] digest) {
        byte[] text = new byte[7 + 2 * SIZE];
        System.arraycopy(PREFIX, 0, text, 0, PREFIX.length);
        for (int i = 0, p = 7; i < SIZE; i++, p += 2) {
            text[p] = HEX[(digest[i] >> 4) & 0xF];
            text[p + 1] = HEX[digest[i] & 0xF];
        }
        return new String(text, StandardCharsets.ISO_8859_1);
    }
}
