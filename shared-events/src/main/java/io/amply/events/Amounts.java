package io.amply.events;

/** Amounts are integer minor units, never fractions. */
public final class Amounts {

    /** 2^53 − 1: every amount (and every balance or total made of them) must survive any JSON reader, as the ledger contract demands. */
    public static final long MAX = 9_007_199_254_740_991L;

    private Amounts() {
    }
}
