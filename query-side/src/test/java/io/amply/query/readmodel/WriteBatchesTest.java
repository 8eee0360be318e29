package io.amply.query.readmodel;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WriteBatchesTest {

    private static final String MOVEMENT = "INSERT INTO fund_movements (source_event_id, amount) VALUES (?, ?) ON CONFLICT DO NOTHING";
    private static final String FAIL = "UPDATE transactions SET status = 'failed' WHERE id = ?";
    private static final String OWNER = "INSERT INTO resource_owners (id, organisation_id) VALUES (?, ?) ON CONFLICT (id) DO NOTHING";
    private static final String STATUS = """
            INSERT INTO transactions AS t (id, status) VALUES (?, 'completed')
            ON CONFLICT (id) DO UPDATE SET status = 'completed' WHERE t.status = 'pending'""";

    /** What reached the database: one line per batch or single statement. */
    private final List<String> sent = new ArrayList<>();
    private final WriteBatches.Sender recording = new WriteBatches.Sender() {
        @Override
        public void batch(String sql, List<Object[]> args) {
            sent.add(WriteBatches.table(sql) + " x" + args.size() + " " + args.stream().map(a -> a[0].toString()).toList());
        }

        @Override
        public void one(String sql, Object[] args) {
            sent.add(WriteBatches.table(sql) + " one " + args[0]);
        }
    };

    @Test
    void sendsTableByTableKeepingEachTablesOrder() {
        // given: writes of two tables interleaved
        List<WriteBatches.Pending> writes = List.of(
                write(MOVEMENT, "e1"), write(OWNER, "d1"), write(MOVEMENT, "e2"), write(OWNER, "d2"), write(MOVEMENT, "e3"));

        // when
        new WriteBatches().send(writes, recording);

        // then
        assertThat(sent).containsExactly("fund_movements x3 [e1, e2, e3]", "resource_owners x2 [d1, d2]");
    }

    @Test
    void aDifferentStatementOnTheSameTableEndsTheBatch() {
        // given
        List<WriteBatches.Pending> writes = List.of(write(STATUS, "t1"), write(FAIL, "t1"), write(STATUS, "t2"));

        // when
        new WriteBatches().send(writes, recording);

        // then: the update waits for the row before it, and the row after it waits for the update
        assertThat(sent).containsExactly("transactions x1 [t1]", "transactions x1 [t1]", "transactions x1 [t2]");
    }

    @Test
    void anUpsertMeetingOneRowTwiceIsSplitIntoTwoBatches() {
        // given
        List<WriteBatches.Pending> writes = List.of(write(STATUS, "t1"), write(STATUS, "t2"), write(STATUS, "t1"));

        // when
        new WriteBatches().send(writes, recording);

        // then
        assertThat(sent).containsExactly("transactions x2 [t1, t2]", "transactions x1 [t1]");
    }

    @Test
    void refusesAnythingButAWrite() {
        assertThatThrownBy(() -> WriteBatches.table("SELECT 1")).isInstanceOf(IllegalArgumentException.class);
    }

    private static WriteBatches.Pending write(String sql, String first) {
        return new WriteBatches.Pending(sql, new Object[]{first, "x"});
    }
}
