package io.amply.query.web;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeysetPageTest {

    private static final Instant AT = Instant.parse("2026-11-25T10:15:30.123456Z");

    @Test
    void aFullPageHasACursorAfterItsLastRow() {
        // given: the query returned one row more than the limit
        List<Cursors.Key> fetched = List.of(new Cursors.Key(AT, "a"), new Cursors.Key(AT, "b"), new Cursors.Key(AT, "c"));

        // when
        KeysetPage<Cursors.Key> page = KeysetPage.of(fetched, 2, key -> key);

        // then
        assertThat(page.rows()).extracting(Cursors.Key::id).containsExactly("a", "b");
        assertThat(page.hasMore()).isTrue();
        assertThat(Cursors.decodeKey(page.nextCursor())).isEqualTo(new Cursors.Key(AT, "b"));
    }

    @Test
    void theLastPageHasNoCursor() {
        // when
        KeysetPage<Cursors.Key> page = KeysetPage.of(List.of(new Cursors.Key(AT, "a")), 2, key -> key);

        // then
        assertThat(page.hasMore()).isFalse();
        assertThat(page.nextCursor()).isNull();
    }

    @Test
    void theNextPageStartsStrictlyAfterTheCursorsRow() {
        // given
        StringBuilder sql = new StringBuilder("SELECT * FROM campaign_progress WHERE organisation_id = ?");
        List<Object> parameters = new ArrayList<>(List.of("org_a"));

        // when
        KeysetPage.appendTo(sql, parameters, new Cursors.Key(AT, "cmp_b"), "campaign_id", 50);

        // then
        assertThat(sql.toString()).endsWith(
                " AND (created_at, campaign_id) > (?, ?) ORDER BY created_at, campaign_id LIMIT ?");
        assertThat(parameters).hasSize(4).endsWith(51);
    }

    @Test
    void aLimitOutsideTheRangeIsRefused() {
        assertThatThrownBy(() -> KeysetPage.checkedLimit(0)).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> KeysetPage.checkedLimit(101)).isInstanceOf(ApiException.class);
        assertThat(KeysetPage.checkedLimit(100)).isEqualTo(100);
    }
}
