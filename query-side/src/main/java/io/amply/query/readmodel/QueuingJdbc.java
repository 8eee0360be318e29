package io.amply.query.readmodel;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.PreparedStatementCreator;
import org.springframework.jdbc.core.PreparedStatementSetter;
import org.springframework.jdbc.core.ResultSetExtractor;

import javax.sql.DataSource;

/**
 * A JdbcTemplate that queues a projection's writes instead of sending each at once: every read
 * passes {@link #beforeRead} first, which sends what is queued, so a read sees every write made
 * before it. Reads of all kinds end in the two methods below.
 */
abstract class QueuingJdbc extends JdbcTemplate {

    QueuingJdbc(DataSource dataSource) {
        super(dataSource);
    }

    /** Makes every queued write visible to the read that follows. */
    abstract void beforeRead();

    /** Every read with arguments ends here. */
    @Override
    public <T> T query(PreparedStatementCreator creator, PreparedStatementSetter setter, ResultSetExtractor<T> extractor)
            throws DataAccessException {
        beforeRead();
        return super.query(creator, setter, extractor);
    }

    /** Every read without arguments ends here. */
    @Override
    public <T> T query(String sql, ResultSetExtractor<T> extractor) throws DataAccessException {
        beforeRead();
        return super.query(sql, extractor);
    }
}
