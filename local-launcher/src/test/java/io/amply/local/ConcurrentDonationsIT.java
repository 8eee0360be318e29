package io.amply.local;

import io.amply.ledger.hash.LedgerEntry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class ConcurrentDonationsIT {

    @Test
    void fiftyParallelDonationsToOneFundGiveExactTotals() throws Exception {
        // given
        Api api = new Api(TestStack.get());
        Api.Organisation org = api.organisation(Api.admin(), "EUR");
        ExecutorService pool = Executors.newFixedThreadPool(16);

        // when
        List<Future<?>> sent = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            long amount = 100L * i;
            sent.add(pool.submit(() -> api.receive(Api.admin(), org.id(), org.generalFund(), amount, "EUR", 1)));
        }
        for (Future<?> future : sent) {
            future.get();
        }
        pool.shutdown();

        // then: Σ 100·i for i = 1..50, less 50 fees of 1
        long gross = 100L * 50 * 51 / 2;
        assertThat(api.balance(org.generalFund())).isEqualTo(gross - 50);
        List<LedgerEntry> chain = api.ledger(org.id(), c -> c.size() == 100);
        assertThat(chain.stream().mapToLong(LedgerEntry::amount).sum()).isEqualTo(gross - 50);
    }
}
