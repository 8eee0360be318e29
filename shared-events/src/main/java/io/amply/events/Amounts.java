package io.amply.events;

/** Amounts are integer minor units, never fractions. */
public final class Amounts {

    /**
     * 2^53 − 1: every amount, and every balance, must survive any JSON reader, as the ledger contract demands.
     * Lifetime sums (an organisation's totals received or spent) are not bounded, and are answered exactly
     * however large (docs/api.md).
     */
    public static final long MAX = 9_007_199_254_740_991L;

    private Amounts() {
    }
}
