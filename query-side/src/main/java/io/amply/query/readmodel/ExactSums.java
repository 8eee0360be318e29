package io.amply.query.readmodel;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Sums of amounts read exactly. One amount is at most 2^53 - 1 minor units, but nothing bounds how
 * many a fund, a project or an organisation adds up over its life: PostgreSQL sums bigints as numeric,
 * and a sum past 2^63 - 1 read as a long failed the read (500) instead of answering it.
 */
public final class ExactSums {

    private ExactSums() {
    }

    /** The column's sum, as an exact integer; 0 for SQL null (nothing to add up). */
    public static BigInteger of(ResultSet rs, String column) throws SQLException {
        BigDecimal sum = rs.getBigDecimal(column);
        return sum == null ? BigInteger.ZERO : sum.toBigIntegerExact();
    }
}
