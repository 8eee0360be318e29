package io.amply.command.donation;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Group commit without threads of its own. Work is put in a lane (by a key's hash); the caller
 * that finds its lane free processes, on its own thread, what the lane holds; callers that arrive
 * meanwhile wait, and when that batch is done the first of them processes the next batch for all
 * of them. One batch per lane at a time, at most {@code batchSize} items each, every item
 * processed exactly once, and {@link #run} returns only once its item has been.
 */
final class Lanes<T> {

    private final class Entry {
        final T item;
        final CompletableFuture<Void> processed = new CompletableFuture<>();
        /** Completed when this entry's caller is to process its lane's next batch. */
        final CompletableFuture<Void> lead = new CompletableFuture<>();

        Entry(T item) {
            this.item = item;
        }
    }

    private final class Lane {
        final ConcurrentLinkedQueue<Entry> waiting = new ConcurrentLinkedQueue<>();
        /** Held by the one caller processing this lane's batch, or about to. */
        final AtomicBoolean led = new AtomicBoolean();
    }

    private final List<Lane> lanes = new ArrayList<>();
    private final int batchSize;
    private final Consumer<List<T>> process;
    /** Runs as a lane is about to be freed; a test widens that moment with it. */
    private volatile Runnable beforeFreeing = () -> { };
    /** Runs when a caller has queued its item and found the lane led by another; a test waits for it. */
    private volatile Runnable queuedBehind = () -> { };

    /** {@code process} handles a batch; when it returns or throws, its items count as processed. */
    Lanes(int lanes, int batchSize, Consumer<List<T>> process) {
        if (lanes < 1 || batchSize < 1) {
            throw new IllegalArgumentException("lanes and batch size must be at least 1");
        }
        for (int i = 0; i < lanes; i++) {
            this.lanes.add(new Lane());
        }
        this.batchSize = batchSize;
        this.process = process;
    }

    /** Returns once {@code item} has been processed, in a batch of its lane's, by this thread or another. */
    void run(int hash, T item) {
        Lane lane = lanes.get(Math.floorMod(hash, lanes.size()));
        Entry entry = new Entry(item);
        lane.waiting.add(entry);
        if (lane.led.compareAndSet(false, true)) {
            leadUninterrupted(lane);
        } else {
            queuedBehind.run();
        }
        while (!entry.processed.isDone()) {
            awaitUninterruptibly(CompletableFuture.anyOf(entry.processed, entry.lead));
            if (!entry.processed.isDone()) {
                leadUninterrupted(lane); // handed the lane: this entry is the first in it
            }
        }
    }

    /**
     * Leads with the thread's interrupt put aside: the batch is other callers' work too, and an
     * interrupted thread would fail it (the connection pool and Axon's locks refuse it) for all of
     * them. The interrupt is the caller's again afterwards.
     */
    private void leadUninterrupted(Lane lane) {
        boolean interrupted = Thread.interrupted();
        try {
            lead(lane);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Items waiting in all lanes, not yet in a batch. */
    int waiting() {
        return lanes.stream().mapToInt(lane -> lane.waiting.size()).sum();
    }

    private void lead(Lane lane) {
        List<Entry> batch = new ArrayList<>(batchSize);
        try {
            for (Entry next; batch.size() < batchSize && (next = lane.waiting.poll()) != null; ) {
                batch.add(next);
            }
            if (!batch.isEmpty()) {
                process.accept(batch.stream().map(entry -> entry.item).toList());
            }
        } finally {
            batch.forEach(entry -> entry.processed.complete(null));
            handOver(lane);
        }
    }

    private void handOver(Lane lane) {
        while (true) {
            Entry first = lane.waiting.peek();
            if (first != null) {
                first.lead.complete(null); // the lane stays led, by the first waiting entry's caller
                return;
            }
            beforeFreeing.run();
            lane.led.set(false);
            // an entry added after the peek, whose caller found the lane still led, must not be left waiting
            if (lane.waiting.isEmpty() || !lane.led.compareAndSet(false, true)) {
                return;
            }
        }
    }

    void beforeFreeing(Runnable hook) {
        this.beforeFreeing = hook;
    }

    void queuedBehind(Runnable hook) {
        this.queuedBehind = hook;
    }

    private static void awaitUninterruptibly(CompletableFuture<?> future) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    future.get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
