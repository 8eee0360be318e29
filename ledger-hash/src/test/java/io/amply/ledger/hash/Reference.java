package io.amply.ledger.hash;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The verification as it was written before it was made fast: JCS to a String, its UTF-8 bytes,
 * SHA-256, hex, and regexes. The fast code is tested against it.
 */
final class Reference {

    private static final Pattern HASH_SHAPE = Pattern.compile("^sha256:[a-f0-9]{64}$");

    private Reference() {
    }

    static String sha256(String canonical) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String contentHash(LedgerEntry entry) {
        return sha256(Jcs.canonicalize(entry.content()));
    }

    static String entryHash(String contentHash, String prevEntryHash) {
        return sha256(Jcs.canonicalize(LedgerHashes.link(contentHash, prevEntryHash)));
    }

    static boolean isHash(String value) {
        return value != null && HASH_SHAPE.matcher(value).matches();
    }

    /** LedgerTime.isValid as it was: the regex, then Instant.parse. */
    static boolean isValidTime(String text) {
        try {
            LedgerTime.parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A correctly hashed entry, hashed the reference way. */
    static LedgerEntry seal(LedgerEntry unsealed, String prevEntryHash) {
        String contentHash = contentHash(unsealed);
        return new LedgerEntry(unsealed.id(), unsealed.organisationId(), unsealed.sequence(), unsealed.type(),
                unsealed.amount(), unsealed.currency(), unsealed.visibility(), unsealed.metadata(),
                unsealed.createdAt(), contentHash, prevEntryHash, entryHash(contentHash, prevEntryHash));
    }

    /** The order-independent checks of Verifier.problemWith, as one answer (null when all pass). */
    static String problemOnItsOwn(LedgerEntry entry) {
        if (!isHash(entry.contentHash())) {
            return "content_hash";
        }
        if (!isHash(entry.entryHash())) {
            return "entry_hash shape";
        }
        if (!isValidTime(entry.createdAt())) {
            return "created_at";
        }
        if (entry.hasContent()) {
            if (entry.id() == null || entry.id().length() > 20) {
                return "id";
            }
            if (Math.abs(entry.amount()) > LedgerHashes.MAX_SAFE_INTEGER) {
                return "amount";
            }
            if (!contentHash(entry).equals(entry.contentHash())) {
                return "content";
            }
        }
        if (!entryHash(entry.contentHash(), entry.prevEntryHash()).equals(entry.entryHash())) {
            return "entry_hash";
        }
        return null;
    }

    /** ChainVerifier as it was. */
    static final class Verifier {
        private long expectedSequence = 1;
        private String previousEntryHash;
        private String organisationId;
        private long checked;
        private long withheld;
        private Long firstBadSequence;
        private String reason;

        boolean accept(LedgerEntry entry) {
            if (firstBadSequence != null) {
                return false;
            }
            checked++;
            String problem = problemWith(entry);
            if (problem != null) {
                firstBadSequence = expectedSequence;
                reason = problem;
                return false;
            }
            if (!entry.hasContent()) {
                withheld++;
            }
            previousEntryHash = entry.entryHash();
            expectedSequence++;
            return true;
        }

        private String problemWith(LedgerEntry entry) {
            if (entry.sequence() != expectedSequence) {
                return "expected sequence " + expectedSequence + " but found " + entry.sequence()
                        + (entry.sequence() > expectedSequence ? " (an entry is missing)" : " (entries out of order or repeated)");
            }
            if (organisationId == null) {
                organisationId = entry.organisationId();
            } else if (!organisationId.equals(entry.organisationId())) {
                return "entry belongs to organisation " + entry.organisationId() + ", not " + organisationId;
            }
            if (!isHash(entry.contentHash())) {
                return "content_hash is missing or malformed";
            }
            if (!isHash(entry.entryHash())) {
                return "entry_hash is missing or malformed";
            }
            if (!isValidTime(entry.createdAt())) {
                return "created_at is not in the YYYY-MM-DDTHH:MM:SS.ffffffZ format";
            }
            if (entry.hasContent()) {
                if (entry.id() == null || entry.id().length() > 20) {
                    return "id is missing or longer than 20 characters";
                }
                if (Math.abs(entry.amount()) > LedgerHashes.MAX_SAFE_INTEGER) {
                    return "amount exceeds 2^53 - 1";
                }
                if (!contentHash(entry).equals(entry.contentHash())) {
                    return "content_hash does not match the entry's content (content was changed)";
                }
            }
            if (expectedSequence == 1 ? entry.prevEntryHash() != null : !previousEntryHash.equals(entry.prevEntryHash())) {
                return "prev_entry_hash does not match the previous entry's entry_hash";
            }
            if (!entryHash(entry.contentHash(), entry.prevEntryHash()).equals(entry.entryHash())) {
                return "entry_hash does not match its link";
            }
            return null;
        }

        ChainVerdict verdict() {
            return new ChainVerdict(firstBadSequence == null, checked, firstBadSequence, reason,
                    expectedSequence - 1, previousEntryHash);
        }

        long withheldEntries() {
            return withheld;
        }
    }
}
