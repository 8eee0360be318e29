package io.amply.query.readmodel;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UpsertShapeTest {

    private static final String COUNTERS = """
            INSERT INTO organisation_totals_rebuild AS t (organisation_id, currency, received_amount, donation_count)
            VALUES (?, ?, ?, ?)
            ON CONFLICT (organisation_id, currency) DO UPDATE SET
                received_amount = t.received_amount + excluded.received_amount,
                donation_count = t.donation_count + excluded.donation_count""";

    private static final String STATUS = """
            INSERT INTO transactions_rebuild AS t (id, organisation_id, direction, amount, status, allocation, created_at)
            VALUES (?, ?, 'incoming', ?, 'completed', ?::jsonb, ?)
            ON CONFLICT (id) DO UPDATE SET status = 'completed', type = EXCLUDED.type
             WHERE t.status = 'pending'""";

    @Test
    void counterUpsertsMergeIntoOneWritePerRow() {
        // given
        UpsertShape shape = UpsertShape.of(COUNTERS);
        Object[] first = {"org_a", "EUR", 1_000L, 1};
        Object[] second = {"org_a", "EUR", 250L, 1};

        // when
        Object[] merged = shape.merge(first, second);

        // then
        assertThat(shape.key(first)).isEqualTo(shape.key(second)).containsExactly("org_a", "EUR");
        assertThat(shape.mergeable(first)).isTrue();
        assertThat(merged).containsExactly("org_a", "EUR", 1_250L, 2);
        assertThat(first).containsExactly("org_a", "EUR", 1_000L, 1);
    }

    @Test
    void aConditionalUpdateIsKeyedButNeverMerged() {
        // when
        UpsertShape shape = UpsertShape.of(STATUS);

        // then: the literals between the arguments do not shift the key
        assertThat(shape.key(new Object[]{"txn_1", "org_a", 500L, "{}", null})).containsExactly("txn_1");
        assertThat(shape.mergeable(new Object[]{"txn_1", "org_a", 500L, "{}", null})).isFalse();
    }

    @Test
    void aKeyColumnFedByAnExpressionIsNotUnderstood() {
        // when
        UpsertShape shape = UpsertShape.of("""
                INSERT INTO x AS t (id, n) VALUES (lower(?), ?) ON CONFLICT (id) DO UPDATE SET n = t.n + excluded.n""");

        // then: such an upsert goes one statement at a time
        assertThat(shape).isNull();
    }

    @Test
    void anUpdateThatIsNotOnlyCountersIsNotMerged() {
        // when
        UpsertShape shape = UpsertShape.of("""
                INSERT INTO x AS t (id, n, name) VALUES (?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET n = t.n + excluded.n, name = excluded.name""");

        // then
        assertThat(shape.key(new Object[]{"a", 1L, "b"})).containsExactly("a");
        assertThat(shape.mergeable(new Object[]{"a", 1L, "b"})).isFalse();
    }

    @Test
    void countersThatAreNotWholeNumbersAreNotMerged() {
        // when
        UpsertShape shape = UpsertShape.of(COUNTERS);

        // then
        assertThat(shape.mergeable(new Object[]{"org_a", "EUR", null, 1})).isFalse();
    }
}
