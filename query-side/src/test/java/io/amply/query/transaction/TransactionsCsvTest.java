package io.amply.query.transaction;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TransactionsCsvTest {

    @Test
    void aNoteThatStartsLikeAFormulaIsWrittenAsText() {
        assertThat(TransactionsController.inert("=HYPERLINK(\"http://example.org\")")).isEqualTo("'=HYPERLINK(\"http://example.org\")");
        assertThat(TransactionsController.inert("+1 for the school")).isEqualTo("'+1 for the school");
        assertThat(TransactionsController.inert("-5 returned")).isEqualTo("'-5 returned");
        assertThat(TransactionsController.inert("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(TransactionsController.inert("\tcmd")).isEqualTo("'\tcmd");
    }

    @Test
    void anyOtherNoteIsWrittenAsItIs() {
        assertThat(TransactionsController.inert("INV 7, \"urgent\"")).isEqualTo("INV 7, \"urgent\"");
        assertThat(TransactionsController.inert("")).isEmpty();
        assertThat(TransactionsController.inert(null)).isNull();
    }

    @Test
    void aFieldWithACommaQuoteOrLineBreakIsQuotedWithItsQuotesDoubled() {
        assertThat(TransactionsController.csv("INV 7, \"urgent\"")).isEqualTo("\"INV 7, \"\"urgent\"\"\"");
        assertThat(TransactionsController.csv("plain")).isEqualTo("plain");
        assertThat(TransactionsController.csv(null)).isEmpty();
    }
}
