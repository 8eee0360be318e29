package io.amply.query.ledger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ArrayLiteralTest {

    @Test
    void textElementsAreQuotedWithOnlyQuotesAndBackslashesEscaped() {
        // when
        String literal = new ArrayLiteral(16).text("a").text("say \"hi\"").text("C:\\x").text("{,} NULL é").close();

        // then
        assertThat(literal).isEqualTo("{\"a\",\"say \\\"hi\\\"\",\"C:\\\\x\",\"{,} NULL é\"}");
    }

    @Test
    void nullIsTheUnquotedNullAndTheStringNullStaysAString() {
        // when
        String literal = new ArrayLiteral(16).text(null).text("NULL").close();

        // then
        assertThat(literal).isEqualTo("{NULL,\"NULL\"}");
    }

    @Test
    void numbersAreWrittenBareAndAnEmptyArrayIsEmpty() {
        // when
        String numbers = new ArrayLiteral(16).number(-9_007_199_254_740_991L).number(0).number(42).close();
        String empty = new ArrayLiteral(2).close();

        // then
        assertThat(numbers).isEqualTo("{-9007199254740991,0,42}");
        assertThat(empty).isEqualTo("{}");
    }
}
