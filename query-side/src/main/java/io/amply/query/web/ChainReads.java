package io.amply.query.web;

import io.amply.events.api.ApiErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A cap on the reads that walk a whole chain, most of them open to anyone: verification, exports and
 * the monthly totals, and a members' CSV download of an organisation's transactions. Each holds a replica connection (verification a core too) for as long as the
 * chain takes, seconds for millions of entries; without a cap a few dozen such requests at once took
 * every connection of the replica's pool, and every other read failed with them. Beyond the cap
 * ({@code amply.chain-reads.concurrency} per node) a read is refused at once as
 * {@code rate_limit_exceeded} (429, {@code Retry-After}), to be sent again. One client (by address, as
 * the request limits count public reads) holds at most {@code amply.chain-reads.per-client} of the
 * places, so a client reading exports slowly keeps the others' verifications waiting on no more.
 */
@Component
public class ChainReads {

    private final Semaphore permits;
    private final int perClient;
    private final Map<String, Integer> held = new ConcurrentHashMap<>();

    ChainReads(@Value("${amply.chain-reads.concurrency:4}") int concurrency,
               @Value("${amply.chain-reads.per-client:2}") int perClient) {
        if (concurrency < 1 || perClient < 1) {
            throw new IllegalArgumentException("amply.chain-reads.concurrency and .per-client must be at least 1");
        }
        this.permits = new Semaphore(concurrency);
        this.perClient = Math.min(perClient, concurrency);
    }

    /** Runs {@code read} within the caps, or refuses it if either is reached. */
    public <T> T run(HttpServletRequest request, Supplier<T> read) {
        Runnable release = acquire(request);
        try {
            return read.get();
        } finally {
            release.run();
        }
    }

    /**
     * Takes a place within the caps for a read that ends later (a streamed export), or refuses it;
     * the returned release must run exactly once when the read ends.
     */
    public Runnable acquire(HttpServletRequest request) {
        return acquire(request.getRemoteAddr());
    }

    /** {@link #acquire(HttpServletRequest)} for the client at {@code client}'s address. */
    public Runnable acquire(String client) {
        boolean[] admitted = {false};
        held.compute(client, (key, count) -> {
            int now = count == null ? 0 : count;
            admitted[0] = now < perClient;
            return admitted[0] ? now + 1 : count;
        });
        if (!admitted[0]) {
            throw new ApiException(ApiErrorCode.RATE_LIMIT_EXCEEDED, "this client is already reading " + perClient
                    + " whole chains or lists (verifications, exports, totals, downloads); send this one again when one has ended", null);
        }
        if (!permits.tryAcquire()) {
            giveBack(client);
            throw new ApiException(ApiErrorCode.RATE_LIMIT_EXCEEDED, "too many verifications, exports, totals and downloads of "
                    + "whole chains and lists are being read at once; send this one again shortly", null);
        }
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                permits.release();
                giveBack(client);
            }
        };
    }

    private void giveBack(String client) {
        held.computeIfPresent(client, (key, count) -> count == 1 ? null : count - 1); // no entry left for a client gone
    }
}
