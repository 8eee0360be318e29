package io.amply.query.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CursorsTest {

    @Test
    void aCheckpointCursorNamesTheSequenceAndTheKey() {
        // when
        String cursor = Cursors.encodeSequenceKey(4, "amply-2026-11:a");

        // then: a key id may itself hold a colon
        assertThat(Cursors.decodeSequenceKey(cursor)).isEqualTo(new Cursors.SequenceKey(4, "amply-2026-11:a"));
        assertThat(Cursors.decodeSequenceKey(null)).isNull();
    }

    @Test
    void aCheckpointCursorOfTheOlderFormStillNamesItsSequence() {
        assertThat(Cursors.decodeSequenceKey(Cursors.encodeSequence(7))).isEqualTo(new Cursors.SequenceKey(7, null));
    }

    @Test
    void aListCursorNamingAMomentNoRowCanHaveIsRefused() {
        // given: the years -9,500 and 287,000 (PostgreSQL refused them: a server error), and 1969
        for (String text : new String[]{"k:-300000000000000000:x", "k:9000000000000000000:x", "k:-1:x"}) {
            String cursor = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes());

            // when / then
            assertThatThrownBy(() -> Cursors.decodeKey(cursor)).as(text).isInstanceOf(ApiException.class);
        }
        // and the last microsecond of the year 9999 is still a cursor
        java.time.Instant last = java.time.Instant.parse("9999-12-31T23:59:59.999999Z");
        assertThat(Cursors.decodeKey(Cursors.encodeKey(last, "x")).at()).isEqualTo(last);
    }

    @Test
    void aCursorThisApiDidNotHandOutIsRefused() {
        String nul = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("c:1:\0".getBytes());
        for (String cursor : new String[]{"not base64!", Cursors.encodeKey(java.time.Instant.EPOCH, "x"), "YzotMTpr", "YzoxOg", nul}) {
            assertThatThrownBy(() -> Cursors.decodeSequenceKey(cursor)).as(cursor).isInstanceOf(ApiException.class);
        }
    }
}
