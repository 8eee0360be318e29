package io.amply.query.readmodel;

/**
 * Where a projection writes: its live tables, which clients read, or their rebuild twins
 * ({@code <table>_rebuild}, V13), which a rebuild fills before it swaps them in.
 */
public enum Target {
    LIVE(""),
    REBUILD("_rebuild");

    private final String suffix;

    Target(String suffix) {
        this.suffix = suffix;
    }

    /** The name of {@code table} in this target. */
    public String table(String table) {
        return table + suffix;
    }
}
