package io.amply.ledger.hash;

/**
 * Checks a chain entry by entry, in the order given (ledger-hash-v1 §3), without holding it in
 * memory: feed entries with {@link #accept}, then read {@link #verdict()}. The first failure is
 * kept; later entries are ignored.
 *
 * <p>An entry whose content is withheld (public export) cannot have its content hash recomputed;
 * its links are still checked, so the chain stays verifiable end to end.
 */
public final class ChainVerifier {

    private long expectedSequence = 1;
    private String previousEntryHash;
    private String organisationId;
    private long checked;
    private long withheld;
    private Long firstBadSequence;
    private String reason;

    /** Checks one more entry; returns false once the chain is known to be broken. */
    public boolean accept(LedgerEntry entry) {
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
        if (!LedgerHashes.isHash(entry.contentHash())) {
            return "content_hash is missing or malformed";
        }
        if (!LedgerHashes.isHash(entry.entryHash())) {
            return "entry_hash is missing or malformed";
        }
        if (!LedgerTime.isValid(entry.createdAt())) {
            return "created_at is not in the YYYY-MM-DDTHH:MM:SS.ffffffZ format";
        }
        if (entry.hasContent()) {
            if (entry.id() == null || entry.id().length() > 20) {
                return "id is missing or longer than 20 characters";
            }
            if (Math.abs(entry.amount()) > LedgerHashes.MAX_SAFE_INTEGER) {
                return "amount exceeds 2^53 - 1";
            }
            String recomputed = LedgerHashes.contentHash(entry.content());
            if (!recomputed.equals(entry.contentHash())) {
                return "content_hash does not match the entry's content (content was changed)";
            }
        }
        if (expectedSequence == 1 ? entry.prevEntryHash() != null : !previousEntryHash.equals(entry.prevEntryHash())) {
            return "prev_entry_hash does not match the previous entry's entry_hash";
        }
        if (!LedgerHashes.entryHash(entry.contentHash(), entry.prevEntryHash()).equals(entry.entryHash())) {
            return "entry_hash does not match its link";
        }
        return null;
    }

    public ChainVerdict verdict() {
        return new ChainVerdict(firstBadSequence == null, checked, firstBadSequence, reason,
                expectedSequence - 1, previousEntryHash);
    }

    /** Entries whose links were checked but whose content was withheld from this reader. */
    public long withheldEntries() {
        return withheld;
    }

    public static ChainVerdict verify(Iterable<LedgerEntry> entries) {
        ChainVerifier verifier = new ChainVerifier();
        for (LedgerEntry entry : entries) {
            if (!verifier.accept(entry)) {
                break;
            }
        }
        return verifier.verdict();
    }
}
