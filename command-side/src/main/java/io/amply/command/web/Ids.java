package io.amply.command.web;

import io.amply.events.identity.ThreadRandom;

/** Prefixed public ids ({@code org_…}, {@code fund_…}): at most 20 characters, random, URL-safe. */
public final class Ids {

    // What an id in a request body must look like (Bean Validation patterns): its kind's prefix, then
    // letters and digits. Anything else (another kind's id, a NUL PostgreSQL cannot even compare) is
    // refused as invalid before it reaches a query.
    public static final String ORGANISATION = "org_[A-Za-z0-9]+";
    public static final String ORGANISATION_MESSAGE = "must be an organisation id (org_…)";
    public static final String FUND = "fund_[A-Za-z0-9]+";
    public static final String FUND_MESSAGE = "must be a fund id (fund_…)";
    public static final String PROJECT = "proj_[A-Za-z0-9]+";
    public static final String PROJECT_MESSAGE = "must be a project id (proj_…)";
    public static final String CAMPAIGN = "camp_[A-Za-z0-9]+";
    public static final String CAMPAIGN_MESSAGE = "must be a campaign id (camp_…)";
    public static final String BUSINESS = "biz_[A-Za-z0-9]+";
    public static final String BUSINESS_MESSAGE = "must be a business id (biz_…)";
    public static final String USER = "usr_[A-Za-z0-9]+";
    public static final String USER_MESSAGE = "must be a user id (usr_…)";

    private static final char[] ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final int MAX_LENGTH = 20;

    private Ids() {
    }

    /** {@code prefix} plus base62 characters up to 20 in all (e.g. 16 random characters after "org_"). */
    public static String next(String prefix) {
        StringBuilder id = new StringBuilder(MAX_LENGTH).append(prefix);
        byte[] random = new byte[2 * MAX_LENGTH];
        while (id.length() < MAX_LENGTH) {
            ThreadRandom.fill(random);
            for (int i = 0; i < random.length && id.length() < MAX_LENGTH; i++) {
                int sixBits = random[i] & 0x3F;
                if (sixBits < ALPHABET.length) { // 62 of 64 values: rejecting the other two keeps every character equally likely
                    id.append(ALPHABET[sixBits]);
                }
            }
        }
        return id.toString();
    }

    public static boolean looksLike(String prefix, String id) {
        return id != null && id.startsWith(prefix) && id.length() <= MAX_LENGTH
                && id.substring(prefix.length()).chars().allMatch(c -> c < 128 && Character.isLetterOrDigit(c));
    }
}
