package io.amply.query;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The read replica: a JdbcTemplate and read-only transactions on it. Its connections carry a
 * {@code statement_timeout} ({@code amply.replica.statement-timeout}), so no client's read holds a
 * connection and a core for long; the reads that walk a whole chain lift it for their transaction.
 */
public record Replica(JdbcTemplate jdbc, TransactionTemplate transactions) {

    /**
     * For a read that walks a whole chain (verification, exports, monthly totals), in its transaction:
     * it takes as long as the chain is long, and how many run at once is capped instead
     * ({@link io.amply.query.web.ChainReads}; a members' CSV export is its organisation's own).
     */
    public void withoutStatementTimeout() {
        jdbc.execute("SET LOCAL statement_timeout = 0");
    }
}
