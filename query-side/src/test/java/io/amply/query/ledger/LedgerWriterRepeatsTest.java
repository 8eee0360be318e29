package io.amply.query.ledger;

import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.sql.BatchUpdateException;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/** An entry already written is told by the unique key it breaks, whatever language the server reports it in. */
class LedgerWriterRepeatsTest {

    @Test
    void anEntryAlreadyWrittenIsARepeatInAServerSpeakingGerman() {
        // given: the server's report as a German lc_messages writes it (names quoted »…«)
        SQLException german = violation("doppelter Schlüsselwert verletzt Unique-Constraint »ledger_entries_source«",
                "ledger_entries_source");

        // then
        assertThat(LedgerWriter.isRepeat(german)).isTrue();
    }

    @Test
    void aRepeatInABatchIsToldByTheBatchsNextException() {
        // given: a batch insert's failure, which carries the server's report as its next exception
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 was aborted", "23505", new int[0]);
        batch.setNextException(violation("duplicate key value violates unique constraint", "ledger_entries_pkey"));

        // then
        assertThat(LedgerWriter.isRepeat(batch)).isTrue();
    }

    @Test
    void anotherWritersSequenceIsNoRepeat() {
        // given: another writer appended the sequence first
        SQLException sequence = violation("duplicate key value violates unique constraint \"ledger_entries_organisation_id_sequence_key\"",
                "ledger_entries_organisation_id_sequence_key");

        // then: the batch must fail, not skip what it would have written
        assertThat(LedgerWriter.isRepeat(sequence)).isFalse();
        assertThat(LedgerWriter.isRepeat(new SQLException("connection reset", "08006"))).isFalse();
    }

    private static PSQLException violation(String message, String constraint) {
        return new PSQLException(new ServerErrorMessage("SERROR\0C23505\0M" + message + "\0n" + constraint + "\0\0"));
    }
}
