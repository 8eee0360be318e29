package io.amply.command.web;

import io.amply.events.identity.ThreadRandom;

/** Prefixed public ids ({@code org_…}, {@code fund_…}): at most 20 characters, random, URL-safe. */
public final class Ids {

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
