package io.amply.ledger.hash;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

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
    /** When true, previousEntryHash is these bytes (tryAccept keeps it so, to make no String per entry). */
    private final byte[] previousHashBytes = new byte[CheckedLines.HASH_LENGTH];
    private boolean previousHashInBytes;
    private String organisationId;
    /** organisationId as UTF-8, for tryAccept's comparison; NOT_COMPARABLE when that would not be exact. */
    private byte[] organisationBytes;
    private static final byte[] NOT_COMPARABLE = new byte[0];
    private long checked;
    private long withheld;
    private Long firstBadSequence;
    private String reason;
    /** Reused for every entry: the hashes are computed without building trees or Strings. */
    private LedgerDigest digest;

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
        previousHashInBytes = false;
        expectedSequence++;
        return true;
    }

    /**
     * Accepts line {@code index} of {@code lines}, already checked on its own by an
     * {@link ExportLineChecker} (so lines can be checked in parallel and then fed here in order),
     * when it is the next entry of this chain: its sequence, organisation and
     * {@code prev_entry_hash} follow on from the entries before.
     *
     * <p>Returns false, changing nothing, when it is not (or the chain is already broken): then give
     * the line's entry to {@link #accept(LedgerEntry)}, which decides and says why.
     */
    public boolean tryAccept(CheckedLines lines, int index) {
        if (firstBadSequence != null || lines.sequence(index) != expectedSequence) {
            return false;
        }
        byte[] line = lines.bytes(index);
        if (organisationId != null && !sameOrganisation(line, lines.organisationFrom(index), lines.organisationTo(index))) {
            return false;
        }
        int prevAt = lines.prevEntryHashAt(index);
        if (expectedSequence == 1 ? prevAt >= 0 : prevAt < 0 || !samePreviousHash(line, prevAt)) {
            return false;
        }
        // Everything else problemWith checks, the checker checked: the state changes as accept's would.
        if (organisationId == null) {
            organisationId = lines.organisationId(index);
            // Decoded from valid UTF-8, so encoding it again gives these bytes back.
            organisationBytes = Arrays.copyOfRange(line, lines.organisationFrom(index), lines.organisationTo(index));
        }
        checked++;
        if (!lines.hasContent(index)) {
            withheld++;
        }
        // The hash is kept as bytes; a String is made only when one is asked for.
        System.arraycopy(line, lines.entryHashAt(index), previousHashBytes, 0, CheckedLines.HASH_LENGTH);
        previousEntryHash = null;
        previousHashInBytes = true;
        expectedSequence++;
        return true;
    }

    private boolean sameOrganisation(byte[] line, int from, int to) {
        if (organisationBytes == null) {
            byte[] utf8 = organisationId.getBytes(StandardCharsets.UTF_8);
            // A String with a lone surrogate does not survive UTF-8 (it becomes '?'): compare no bytes then.
            organisationBytes = new String(utf8, StandardCharsets.UTF_8).equals(organisationId)
                    ? utf8 : NOT_COMPARABLE;
        }
        return organisationBytes != NOT_COMPARABLE
                && Arrays.equals(line, from, to, organisationBytes, 0, organisationBytes.length);
    }

    private boolean samePreviousHash(byte[] line, int at) {
        if (previousHashInBytes) {
            return Arrays.equals(line, at, at + CheckedLines.HASH_LENGTH,
                    previousHashBytes, 0, CheckedLines.HASH_LENGTH);
        }
        // Set by accept(LedgerEntry): a well-formed hash, so ASCII.
        String previous = previousEntryHash;
        if (previous.length() != CheckedLines.HASH_LENGTH) {
            return false;
        }
        for (int i = 0; i < CheckedLines.HASH_LENGTH; i++) {
            if (line[at + i] != previous.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The last accepted entry's hash (null before the first), made a String if kept as bytes. */
    private String previousEntryHash() {
        if (previousHashInBytes) {
            previousEntryHash = new String(previousHashBytes, StandardCharsets.ISO_8859_1);
            previousHashInBytes = false;
        }
        return previousEntryHash;
    }

    private String problemWith(LedgerEntry entry) {
        if (entry.sequence() != expectedSequence) {
            return "expected sequence " + expectedSequence + " but found " + entry.sequence()
                    + (entry.sequence() > expectedSequence ? " (an entry is missing)" : " (entries out of order or repeated)");
        }
        if (organisationId == null) {
            organisationId = entry.organisationId();
            organisationBytes = null;
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
            if (!LedgerDigest.matches(digest().content(entry), entry.contentHash())) {
                return "content_hash does not match the entry's content (content was changed)";
            }
        }
        if (expectedSequence == 1 ? entry.prevEntryHash() != null : !previousEntryHash().equals(entry.prevEntryHash())) {
            return "prev_entry_hash does not match the previous entry's entry_hash";
        }
        if (!LedgerDigest.matches(digest().link(entry.contentHash(), entry.prevEntryHash()), entry.entryHash())) {
            return "entry_hash does not match its link";
        }
        return null;
    }

    private LedgerDigest digest() {
        if (digest == null) {
            digest = new LedgerDigest();
        }
        return digest;
    }

    public ChainVerdict verdict() {
        return new ChainVerdict(firstBadSequence == null, checked, firstBadSequence, reason,
                expectedSequence - 1, previousEntryHash());
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
