package io.amply.query.web;

import io.amply.events.api.ApiErrorCode;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A cap on the reads that walk a whole chain, most of them open to anyone: verification, exports and
 * the monthly totals, and a members' CSV download of an organisation's transactions. Each holds a replica connection (verification a core too) for as long as the
 * chain takes, seconds for millions of entries; without a cap a few dozen such requests at once took
 * every connection of the replica's pool, and every other read failed with them. Beyond the cap
 * ({@code amply.chain-reads.concurrency} per node) a read is refused at once as
 * {@code rate_limit_exceeded} (429, {@code Retry-After}), to be sent again.
 */
@Component
public class ChainReads {

    private final Semaphore permits;

    ChainReads(@Value("${amply.chain-reads.concurrency:4}") int concurrency) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("amply.chain-reads.concurrency must be at least 1");
        }
        this.permits = new Semaphore(concurrency);
    }

    /** Runs {@code read} within the cap, or refuses it if the cap is reached. */
    public <T> T run(Supplier<T> read) {
        Runnable release = acquire();
        try {
            return read.get();
        } finally {
            release.run();
        }
    }

    /**
     * Takes a place within the cap for a read that ends later (a streamed export), or refuses it;
     * the returned release must run exactly once when the read ends.
     */
    public Runnable acquire() {
        if (!permits.tryAcquire()) {
            throw new ApiException(ApiErrorCode.RATE_LIMIT_EXCEEDED, "too many verifications, exports, totals and downloads of "
                    + "whole chains and lists are being read at once; send this one again shortly", null);
        }
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                permits.release();
            }
        };
    }
}
