package io.amply.command;

import org.axonframework.common.caching.Cache;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class LruCacheTest {

    @AfterEach
    void noTransaction() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.clearSynchronization();
        }
    }

    @Test
    void theLeastRecentlyUsedEntryGoesFirst() {
        // given
        LruCache cache = new LruCache(2);
        List<Object> expired = new ArrayList<>();
        cache.registerCacheEntryListener(new Cache.EntryListenerAdapter() {
            @Override
            public void onEntryExpired(Object key) {
                expired.add(key);
            }
        });
        cache.put("fund_a", "A");
        cache.put("fund_b", "B");
        cache.get("fund_a");

        // when
        cache.put("fund_c", "C");

        // then
        assertThat(expired).containsExactly("fund_b");
        assertThat(cache.containsKey("fund_a")).isTrue();
        assertThat(cache.containsKey("fund_b")).isFalse();
        assertThat(cache.<String, String>get("fund_c")).isEqualTo("C");
    }

    @Test
    void aStripedCacheHoldsNoMoreThanItsCapacity() {
        // given: large enough to be split into stripes
        int capacity = LruCache.SMALLEST_STRIPED;
        LruCache cache = new LruCache(capacity);

        // when
        IntStream.range(0, 100_000).forEach(i -> cache.put("fund_" + i, i));

        // then: every stripe full, none beyond its share
        long held = IntStream.range(0, 100_000).filter(i -> cache.containsKey("fund_" + i)).count();
        assertThat(held).isEqualTo(capacity);
        assertThat(cache.<String, Integer>get("fund_99999")).isEqualTo(99999);
    }

    @Test
    void anAggregateInUseStaysInAStripedCacheWhileManyOthersComeAndGo() {
        // given
        LruCache cache = new LruCache(LruCache.SMALLEST_STRIPED);
        cache.put("fund_hot", "hot");

        // when: ten times the capacity passes through, the hot fund used now and then
        for (int i = 0; i < 10 * LruCache.SMALLEST_STRIPED; i++) {
            cache.put("fund_" + i, i);
            if (i % 100 == 0) {
                cache.get("fund_hot");
            }
        }

        // then
        assertThat(cache.<String, String>get("fund_hot")).isEqualTo("hot");
        assertThat(cache.containsKey("fund_0")).isFalse();
    }

    @Test
    void anEntryPutInATransactionThatRollsBackIsForgotten() {
        // given
        LruCache cache = new LruCache(50_000);
        cache.put("fund_kept", "before");
        TransactionSynchronizationManager.initSynchronization();

        // when
        cache.put("fund_kept", "money that never arrived");
        cache.put("fund_new", "never stored");
        complete(TransactionSynchronization.STATUS_ROLLED_BACK);

        // then
        assertThat(cache.containsKey("fund_kept")).isFalse();
        assertThat(cache.containsKey("fund_new")).isFalse();
    }

    @Test
    void anEntryAddedIfAbsentInATransactionThatRollsBackIsForgotten() {
        // given
        LruCache cache = new LruCache(50_000);
        TransactionSynchronizationManager.initSynchronization();

        // when
        boolean added = cache.putIfAbsent("fund_new", "never stored");
        complete(TransactionSynchronization.STATUS_ROLLED_BACK);

        // then
        assertThat(added).isTrue();
        assertThat(cache.containsKey("fund_new")).isFalse();
    }

    @Test
    void anEntryPutInATransactionThatCommitsStays() {
        // given
        LruCache cache = new LruCache(50_000);
        TransactionSynchronizationManager.initSynchronization();

        // when
        cache.put("fund_a", "stored");
        complete(TransactionSynchronization.STATUS_COMMITTED);

        // then
        assertThat(cache.<String, String>get("fund_a")).isEqualTo("stored");
    }

    @Test
    void threadsWritingAtOnceEachFindTheirOwnLatestValues() throws Exception {
        // given
        LruCache cache = new LruCache(50_000);
        ExecutorService threads = Executors.newFixedThreadPool(8);

        // when
        List<Future<?>> work = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            work.add(threads.submit(() -> {
                for (int round = 0; round < 100; round++) {
                    for (int i = 0; i < 200; i++) {
                        cache.put("fund_" + thread + "_" + i, round);
                    }
                }
            }));
        }
        for (Future<?> done : work) {
            done.get();
        }
        threads.shutdown();

        // then
        for (int t = 0; t < 8; t++) {
            for (int i = 0; i < 200; i++) {
                assertThat(cache.<String, Integer>get("fund_" + t + "_" + i)).isEqualTo(99);
            }
        }
    }

    private static void complete(int status) {
        List<TransactionSynchronization> synchronizations = TransactionSynchronizationManager.getSynchronizations();
        TransactionSynchronizationManager.clearSynchronization();
        synchronizations.forEach(s -> s.afterCompletion(status));
    }
}
