package io.amply.command.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class TextTest {

    @Test
    void aNameIsStrippedAndKeptOtherwise() {
        assertThat(Text.clean("name", "  Wells for All ")).isEqualTo("Wells for All");
    }

    @Test
    void aNameThatShowsNothingIsBlank() {
        // no-break, figure and narrow spaces, a zero-width space, a word joiner, a byte order mark, a Hangul filler
        for (String invisible : new String[] {"\u00a0", "\u2007", "\u202f", "\u200b", "\u2060", "\ufeff", "\u3164", " \u00a0\u200b "}) {
            ApiException refused = catchThrowableOfType(() -> Text.clean("name", invisible), ApiException.class);
            assertThat(refused).as("U+%04X", (int) invisible.charAt(0)).isNotNull();
            assertThat(refused.getMessage()).isEqualTo("name must not be blank");
        }
    }

    @Test
    void spacesOfAnyKindAreStrippedAtTheEndsOnly() {
        assertThat(Text.clean("name", "\u00a0Wells\u00a0for All\u202f")).isEqualTo("Wells\u00a0for All");
    }

    @Test
    void aBidirectionalOverrideIsRefusedWithItsParameter() {
        // when: "Wells for All" that a directory would show reversed
        ApiException refused = catchThrowableOfType(() -> Text.clean("name", "\u202Ella rof slleW"), ApiException.class);

        // then
        assertThat(refused.param()).isEqualTo("name");
        assertThat(refused.code().httpStatus()).isEqualTo(400);
    }

    @Test
    void joinersThatScriptsAndEmojiNeedStay() {
        assertThat(Text.clean("name", "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645")).contains("\u200c"); // Persian ZWNJ
        assertThat(Text.clean("name", "Family \uD83D\uDC68\u200D\uD83D\uDC69")).contains("\u200D");
    }

    @Test
    void halfOfASurrogatePairIsRefusedWhereverItStands() {
        for (String lone : new String[] {"A\uD800", "\uD800A", "A\uDC00", "\uDC00\uD83D"}) {
            ApiException refused = catchThrowableOfType(() -> Text.clean("name", lone), ApiException.class);
            assertThat(refused).as(lone).isNotNull();
            assertThat(refused.param()).isEqualTo("name");
        }
    }

    @Test
    void aCharacterBeyondTheBasicPlaneStays() {
        assertThat(Text.clean("name", "Water \uD83D\uDCA7 for all")).isEqualTo("Water \uD83D\uDCA7 for all");
    }
}
