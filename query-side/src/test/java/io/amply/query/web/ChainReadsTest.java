package io.amply.query.web;

import io.amply.events.api.ApiErrorCode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ChainReadsTest {

    @Test
    void oneClientHoldsNoMoreThanItsShareSoOthersStillRead() {
        // given: four places per node, two per client
        ChainReads reads = new ChainReads(4, 2);

        // when: one client starts three slow exports
        Runnable first = reads.acquire("203.0.113.7");
        reads.acquire("203.0.113.7");
        ApiException third = catchThrowableOfType(() -> reads.acquire("203.0.113.7"), ApiException.class);

        // then: its third waits its turn, and two others still get a place each
        assertThat(third.code()).isEqualTo(ApiErrorCode.RATE_LIMIT_EXCEEDED);
        assertThat(third.getMessage()).contains("this client");
        reads.acquire("198.51.100.1");
        reads.acquire("198.51.100.2");
        // and once one of its own has ended, the node's cap is what stops it
        first.run();
        assertThat(reads.acquire("198.51.100.3")).isNotNull();
        ApiException full = catchThrowableOfType(() -> reads.acquire("203.0.113.7"), ApiException.class);
        assertThat(full.getMessage()).contains("at once");
    }

    @Test
    void aPlaceIsGivenBackOnceHoweverOftenItsReleaseRuns() {
        // given
        ChainReads reads = new ChainReads(2, 2);
        Runnable release = reads.acquire("192.0.2.1");

        // when: its release runs twice (the stream's end and the request's completion both call it)
        release.run();
        release.run();

        // then: the node has its two places, not three, and the client its two
        List<Runnable> held = new ArrayList<>();
        held.add(reads.acquire("192.0.2.1"));
        held.add(reads.acquire("192.0.2.1"));
        assertThat(catchThrowableOfType(() -> reads.acquire("192.0.2.2"), ApiException.class)).isNotNull();
        held.forEach(Runnable::run);
        assertThat(reads.acquire("192.0.2.2")).isNotNull();
    }
}
