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
    void aCursorThisApiDidNotHandOutIsRefused() {
        for (String cursor : new String[]{"not base64!", Cursors.encodeKey(java.time.Instant.EPOCH, "x"), "YzotMTpr", "YzoxOg"}) {
            assertThatThrownBy(() -> Cursors.decodeSequenceKey(cursor)).as(cursor).isInstanceOf(ApiException.class);
        }
    }
}
