package io.amply.events;

/** Who may see a ledger entry's content (ledger-hash-v1 §5). Hashes are always public. */
public enum Visibility {
    public_full,
    public_aggregated,
    delayed_public,
    internal_only
}
