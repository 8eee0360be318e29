package io.amply.command.security;

import java.util.EnumSet;
import java.util.Set;

/** A user's role in one organisation. */
public enum Role {
    owner, admin, finance, content, viewer, auditor;

    /** Who may move money on an organisation's behalf (record donations, expenses, transfers). */
    public static final Set<Role> MONEY = EnumSet.of(owner, admin, finance);
    /** Who may start a donation on a donor's behalf (the organisation's own pages and widgets). */
    public static final Set<Role> INITIATE_DONATION = EnumSet.of(owner, admin, finance, content);
    /** Who may change an organisation's profile and structure. */
    public static final Set<Role> MANAGE = EnumSet.of(owner, admin);
    /** Who makes owners. */
    public static final Set<Role> OWNER = EnumSet.of(owner);
    /** Who sees every amount, whatever its visibility (the query side's full ledger content). */
    public static final Set<Role> FULL_CONTENT = EnumSet.of(owner, admin, finance, auditor);
    /** Everyone with any role. */
    public static final Set<Role> ANY = EnumSet.allOf(Role.class);
}
