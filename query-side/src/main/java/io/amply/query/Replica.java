package io.amply.query;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** The read replica: a JdbcTemplate and read-only transactions on it. */
public record Replica(JdbcTemplate jdbc, TransactionTemplate transactions) {
}
