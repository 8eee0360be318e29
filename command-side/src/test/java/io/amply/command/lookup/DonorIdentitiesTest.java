package io.amply.command.lookup;

import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A donor reaches the row's writer only through the unit of work its command runs in. */
class DonorIdentitiesTest {

    @AfterEach
    void noUnitOfWorkLeftOnTheThread() {
        while (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().rollback();
        }
    }

    @Test
    void aDonorOfferedInTheBatchIsTakenByTheRowWriterInANestedUnitOfWorkAndMarkedWritten() {
        // given: the batch's unit of work, with the request's donor in it
        UnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(null);
        DonorIdentities.Donor donor = DonorIdentities.of("Ada Lovelace", "ada@example.org");
        DonorIdentities.offer("don_1", donor);

        // when: the row's writer runs in a nested unit of work (a subscribing processor's)
        UnitOfWork<?> handler = DefaultUnitOfWork.startAndGet(null);
        DonorIdentities.Donor taken = DonorIdentities.take("don_1");
        DonorIdentities.Donor again = DonorIdentities.take("don_1");
        handler.commit();
        batch.commit();

        // then: it gets the donor once, and once the row is written the request knows the row has it
        assertThat(taken).isSameAs(donor);
        assertThat(again).isNull();
        assertThat(donor.written()).isFalse();
        taken.stored();
        assertThat(donor.written()).isTrue();
    }

    @Test
    void aDonorOfferedInAnotherUnitOfWorkIsNotFoundAndStaysForTheRequestToWrite() {
        // given: the request's unit of work holds the donor
        UnitOfWork<?> request = DefaultUnitOfWork.startAndGet(null);
        DonorIdentities.Donor donor = DonorIdentities.of("Ada Lovelace", null);
        DonorIdentities.offer("don_2", donor);
        request.commit();

        // when: the command runs in a unit of work of its own (Axon Server's bus hands it to another thread)
        UnitOfWork<?> command = DefaultUnitOfWork.startAndGet(null);
        DonorIdentities.Donor taken = DonorIdentities.take("don_2");
        command.commit();

        // then
        assertThat(taken).isNull();
        assertThat(donor.written()).isFalse();
    }

    @Test
    void aRequestWithoutADonorHasNone() {
        assertThat(DonorIdentities.of(null, null)).isNull();
        assertThat(DonorIdentities.take("don_3")).isNull(); // outside any unit of work
    }
}
