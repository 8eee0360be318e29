package io.amply.db;

/**
 * The row-level-security context. Run {@link #SET_ORGANISATION} (or {@link #SET_USER}) inside a transaction: it lasts
 * until that transaction ends and never leaks to the next user of a pooled connection.
 */
public final class TenantContext {

    /** One parameter: the organisation id. */
    public static final String SET_ORGANISATION = "SELECT amply_set_org(?)";

    /** One parameter: the user whose memberships in every organisation the transaction may read (V27). */
    public static final String SET_USER = "SELECT amply_set_user(?)";

    /** One parameter: the business whose matching programmes in every organisation the transaction may read (V28). */
    public static final String SET_BUSINESS = "SELECT amply_set_business(?)";

    private TenantContext() {
    }
}
