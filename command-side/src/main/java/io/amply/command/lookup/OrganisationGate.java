package io.amply.command.lookup;

/**
 * Orders an organisation's money movements and its suspension, membership changes and campaigns'
 * ends. Every movement (a donation's batch, an expense, a transfer, a correction, a completion or a
 * refund) passes the gate, a shared transaction-level advisory lock on the organisation, before it
 * reads whether the organisation is suspended, the caller's role there and (a donation) its campaign's
 * status, and holds it until it commits; a suspension, a role granted, changed or removed, and a
 * campaign completed or cancelled close the gate, the same lock taken exclusively, before they write.
 * So each waits for the movements under way, and a movement that comes after it waits for it and then
 * reads it: no money moves after a suspension, nor by a role after it was taken away, and no new
 * donation is attributed to a campaign after it ended (a pledge made before and paid later still counts). An advisory lock rather than a share lock on the organisation's
 * row: PostgreSQL queues a new share locker of a row ahead of an update that waits for the row, so
 * a busy organisation's overlapping donations could hold its suspension off for as long as they
 * kept coming; its lock manager queues a shared request behind a waiting exclusive one.
 */
public final class OrganisationGate {

    /** The first of the two advisory-lock keys ("AMGT"); the second is the organisation id's hash. */
    static final int NAMESPACE = 0x414D4754;

    /** Passes the gate of the organisation given as the one parameter, until the transaction ends. */
    public static final String PASS = "SELECT pg_advisory_xact_lock_shared(" + NAMESPACE + ", hashtext(?))";

    /** Closes the gate of the organisation given as the one parameter, until the transaction ends. */
    public static final String CLOSE = "SELECT pg_advisory_xact_lock(" + NAMESPACE + ", hashtext(?))";

    private OrganisationGate() {
    }
}
