package io.amply.command.donation;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class LanesTest {

    private record Processed(List<String> items, String thread) {
    }

    @Test
    void aLoneItemIsProcessedAtOnceOnItsCallersThread() {
        // given
        List<Processed> batches = new CopyOnWriteArrayList<>();
        Lanes<String> lanes = new Lanes<>(4, 10, batch -> batches.add(new Processed(batch, Thread.currentThread().getName())));

        // when
        lanes.run(1, "a");

        // then
        assertThat(batches).containsExactly(new Processed(List.of("a"), Thread.currentThread().getName()));
    }

    @Test
    void anInterruptedCallerLeadsItsBatchUninterruptedAndKeepsItsInterrupt() {
        // given: a caller whose thread was interrupted (a request cancelled, say)
        List<Boolean> interruptedWhileProcessing = new CopyOnWriteArrayList<>();
        Lanes<String> lanes = new Lanes<>(4, 10, batch -> interruptedWhileProcessing.add(Thread.currentThread().isInterrupted()));
        Thread.currentThread().interrupt();

        // when
        lanes.run(1, "a");

        // then: the batch (other callers' work too) ran as if not interrupted, and the caller still is
        boolean stillInterrupted = Thread.interrupted(); // and cleared for the next test
        assertThat(interruptedWhileProcessing).containsExactly(false);
        assertThat(stillInterrupted).isTrue();
    }

    @Test
    void itemsArrivingWhileTheirLaneIsBusyAreProcessedTogetherByOneOfTheirCallers() throws Exception {
        // given: the lane's first batch is held
        CountDownLatch held = new CountDownLatch(1);
        List<Processed> batches = new CopyOnWriteArrayList<>();
        Lanes<String> lanes = new Lanes<>(4, 10, batch -> {
            batches.add(new Processed(batch, Thread.currentThread().getName()));
            if (batch.contains("first")) {
                awaitQuietly(held);
            }
        });
        ExecutorService callers = Executors.newFixedThreadPool(6);
        Future<?> first = callers.submit(() -> lanes.run(7, "first"));
        await().atMost(Duration.ofSeconds(10)).until(() -> batches.size() == 1);
        List<Future<?>> others = new ArrayList<>();
        for (String item : List.of("b", "c", "d", "e", "f")) {
            others.add(callers.submit(() -> lanes.run(7, item)));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> lanes.waiting() == 5);

        // when
        held.countDown();
        first.get(30, TimeUnit.SECONDS);
        for (Future<?> other : others) {
            other.get(30, TimeUnit.SECONDS);
        }
        callers.shutdown();

        // then: one batch of the five, processed on one of their callers' threads
        assertThat(batches).hasSize(2);
        assertThat(batches.get(1).items()).containsExactlyInAnyOrder("b", "c", "d", "e", "f");
        assertThat(batches.get(1).thread()).isNotEqualTo(batches.get(0).thread());
        assertThat(lanes.waiting()).isZero();
    }

    @Test
    void underContentionEveryItemIsProcessedOnceAndALaneNeverRunsTwoBatchesAtATime() throws Exception {
        processConcurrently(4, 7, 16, 20_000);
    }

    @Test
    void anItemThatArrivesAsItsLaneIsBeingFreedIsNotLeftWaiting() throws Exception {
        // given: as the first batch's caller frees the lane, finding nobody waiting, a second item
        // arrives, is queued and finds the lane still taken (the moment the re-check on freeing is for)
        List<String> processed = new CopyOnWriteArrayList<>();
        Lanes<String> lanes = new Lanes<>(1, 10, processed::addAll);
        ExecutorService late = Executors.newSingleThreadExecutor();
        List<Future<?>> second = new CopyOnWriteArrayList<>();
        CountDownLatch queuedBehind = new CountDownLatch(1);
        lanes.queuedBehind(queuedBehind::countDown);
        lanes.beforeFreeing(() -> {
            if (second.isEmpty()) {
                second.add(late.submit(() -> lanes.run(0, "late")));
                awaitQuietly(queuedBehind); // without the re-check, the late caller now waits for ever
            }
        });

        // when
        lanes.run(0, "first");

        // then
        second.get(0).get(30, TimeUnit.SECONDS);
        late.shutdown();
        assertThat(processed).containsExactly("first", "late");
    }

    private void processConcurrently(int lanesCount, int batchSize, int threads, int items) throws Exception {
        // given
        Map<String, Integer> timesProcessed = new ConcurrentHashMap<>();
        AtomicInteger[] busy = new AtomicInteger[lanesCount];
        for (int i = 0; i < lanesCount; i++) {
            busy[i] = new AtomicInteger();
        }
        Set<Integer> overlaps = ConcurrentHashMap.newKeySet();
        Set<Integer> tooLarge = ConcurrentHashMap.newKeySet();
        Lanes<String> lanes = new Lanes<>(lanesCount, batchSize, batch -> {
            int lane = Integer.parseInt(batch.get(0).split(":")[0]);
            if (busy[lane].incrementAndGet() > 1) {
                overlaps.add(lane);
            }
            if (batch.size() > batchSize) {
                tooLarge.add(batch.size());
            }
            batch.forEach(item -> timesProcessed.merge(item, 1, Integer::sum));
            Thread.yield();
            busy[lane].decrementAndGet();
        });
        ExecutorService callers = Executors.newFixedThreadPool(threads);

        // when: each call returning only once its item is processed
        List<Future<Boolean>> calls = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            int lane = i % lanesCount;
            String item = lane + ":" + i;
            calls.add(callers.submit(() -> {
                lanes.run(lane, item);
                return timesProcessed.containsKey(item);
            }));
        }
        for (Future<Boolean> call : calls) {
            assertThat(call.get(60, TimeUnit.SECONDS)).isTrue(); // a lost hand-over would leave a caller waiting
        }
        callers.shutdown();

        // then
        assertThat(timesProcessed).hasSize(items);
        assertThat(timesProcessed.values()).containsOnly(1);
        assertThat(overlaps).isEmpty();
        assertThat(tooLarge).isEmpty();
        assertThat(lanes.waiting()).isZero();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
