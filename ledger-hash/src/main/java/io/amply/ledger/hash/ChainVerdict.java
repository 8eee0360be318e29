package io.amply.ledger.hash;

/**
 * The outcome of checking one organisation's chain (ledger-hash-v1 §3).
 *
 * @param valid            whether every entry checked passed
 * @param entriesChecked   how many entries were read before the verdict
 * @param firstBadSequence the first sequence that breaks the chain, or null when valid
 * @param reason           why that sequence is bad, or null when valid
 * @param headSequence     the last good entry's sequence (0 for an empty chain)
 * @param headEntryHash    the last good entry's hash (null for an empty chain)
 */
public record ChainVerdict(boolean valid, long entriesChecked, Long firstBadSequence, String reason,
                           long headSequence, String headEntryHash) {
}
