package io.amply.ledger.hash;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Export lines that an {@link ExportLineChecker} found to be well-formed entries passing every
 * check of ledger-hash-v1 §3 that needs no other entry: both hashes well formed, {@code created_at}
 * in the contract's format, the content hash recomputing from the content (where not withheld), and
 * the entry hash recomputing from its link with the line's own {@code prev_entry_hash}. What is
 * left, each line's place in the chain, is checked by {@link ChainVerifier#tryAccept}.
 *
 * <p>Kept in arrays that point into the lines' own bytes, not as an object per line: verifying a
 * long ledger then allocates next to nothing. Those bytes must stay unchanged while the lines are
 * used. Only the checker adds lines, so every line here was checked. Reusable after {@link #clear()}.
 */
public final class CheckedLines {

    private byte[][] bytes;
    private long[] sequences;
    private boolean[] withContent;
    private int[] organisationFrom;
    private int[] organisationTo;
    /** Where the 71 bytes of each hash start; -1 for a null prev_entry_hash. */
    private int[] prevEntryHashAt;
    private int[] entryHashAt;
    private int size;

    public CheckedLines() {
        this(64);
    }

    public CheckedLines(int capacity) {
        int n = Math.max(1, capacity);
        bytes = new byte[n][];
        sequences = new long[n];
        withContent = new boolean[n];
        organisationFrom = new int[n];
        organisationTo = new int[n];
        prevEntryHashAt = new int[n];
        entryHashAt = new int[n];
    }

    public int size() {
        return size;
    }

    public void clear() {
        Arrays.fill(bytes, 0, size, null);
        size = 0;
    }

    public long sequence(int index) {
        check(index);
        return sequences[index];
    }

    /** False when the line carries only the always-public members (content withheld). */
    public boolean hasContent(int index) {
        check(index);
        return withContent[index];
    }

    public String organisationId(int index) {
        check(index);
        return new String(bytes[index], organisationFrom[index], organisationTo[index] - organisationFrom[index],
                StandardCharsets.UTF_8);
    }

    /** Null when the line's {@code prev_entry_hash} is null or absent. */
    public String prevEntryHash(int index) {
        check(index);
        return prevEntryHashAt[index] < 0 ? null : hash(bytes[index], prevEntryHashAt[index]);
    }

    public String entryHash(int index) {
        check(index);
        return hash(bytes[index], entryHashAt[index]);
    }

    // ---- for the checker and ChainVerifier ----

    int add(byte[] line, long sequence, boolean hasContent, int organisationFrom, int organisationTo,
            int prevEntryHashAt, int entryHashAt) {
        if (size == sequences.length) {
            int n = size * 2;
            bytes = Arrays.copyOf(bytes, n);
            sequences = Arrays.copyOf(sequences, n);
            withContent = Arrays.copyOf(withContent, n);
            this.organisationFrom = Arrays.copyOf(this.organisationFrom, n);
            this.organisationTo = Arrays.copyOf(this.organisationTo, n);
            this.prevEntryHashAt = Arrays.copyOf(this.prevEntryHashAt, n);
            this.entryHashAt = Arrays.copyOf(this.entryHashAt, n);
        }
        int i = size++;
        bytes[i] = line;
        sequences[i] = sequence;
        withContent[i] = hasContent;
        this.organisationFrom[i] = organisationFrom;
        this.organisationTo[i] = organisationTo;
        this.prevEntryHashAt[i] = prevEntryHashAt;
        this.entryHashAt[i] = entryHashAt;
        return i;
    }

    /** Takes back the line added last. */
    void removeLast() {
        bytes[--size] = null;
    }

    byte[] bytes(int index) {
        return bytes[index];
    }

    int organisationFrom(int index) {
        return organisationFrom[index];
    }

    int organisationTo(int index) {
        return organisationTo[index];
    }

    int prevEntryHashAt(int index) {
        return prevEntryHashAt[index];
    }

    int entryHashAt(int index) {
        return entryHashAt[index];
    }

    static final int HASH_LENGTH = 71;

    private static String hash(byte[] line, int at) {
        return new String(line, at, HASH_LENGTH, StandardCharsets.ISO_8859_1);
    }

    private void check(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("line " + index + " of " + size);
        }
    }
}
