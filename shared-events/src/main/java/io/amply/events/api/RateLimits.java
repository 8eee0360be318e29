package io.amply.events.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The API's request limits (docs/api.md): a bucket of {@code burst} requests per caller, refilled at
 * {@code perSecond}. A caller is the credential a request presents, else its client address; both
 * services keep their own buckets, so the limits are per node. A credential that is refused counts
 * for its address too ({@link #refusedCredentialsFrom}: {@link #peek} before, {@link #take} after), so
 * made-up keys, each of which would have a full bucket of its own, run out with their address's.
 * <p>
 * A bucket idle long enough to be full again is dropped (the same as none), so the buckets held are
 * those of the callers of the last few seconds.
 */
public final class RateLimits {

    /** What one request may do: go on ({@code remaining} requests left now), or wait {@code retryAfterSeconds}. */
    public record Decision(boolean allowed, long remaining, long retryAfterSeconds) {
    }

    private static final long NANOS = 1_000_000_000L;

    private final double perSecond;
    private final int burst;
    private final LongSupplier nanoTime;
    /** How long an untouched bucket takes to fill up: after that it can be dropped. */
    private final long refillNanos;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final AtomicLong lastSweep;

    public RateLimits(double perSecond, int burst) {
        this(perSecond, burst, System::nanoTime);
    }

    RateLimits(double perSecond, int burst, LongSupplier nanoTime) {
        if (!(perSecond > 0) || burst < 1) {
            throw new IllegalArgumentException("a rate limit needs requests per second > 0 and a burst ≥ 1, not "
                    + perSecond + " and " + burst);
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanoTime = nanoTime;
        this.refillNanos = Math.max(NANOS, (long) Math.ceil(burst / perSecond * NANOS));
        this.lastSweep = new AtomicLong(nanoTime.getAsLong());
    }

    public int burst() {
        return burst;
    }

    /** Takes one request from the caller's bucket. */
    public Decision take(String caller) {
        long now = nanoTime.getAsLong();
        sweep(now);
        while (true) {
            Bucket bucket = buckets.computeIfAbsent(caller, c -> new Bucket(burst, now));
            synchronized (bucket) {
                if (!bucket.dropped) { // else the sweep took it out of the map just now: a new one
                    return bucket.take(now);
                }
            }
        }
    }

    /**
     * One request's turn, as both services' filters ask it: without a credential ({@code null}) from its
     * address's bucket; with one from the credential's, unless the address has had a burst's worth of
     * credentials refused ({@link #credentialRefused}).
     */
    public Decision admit(String credential, String clientAddress) {
        if (credential == null) {
            return take(addressOf(clientAddress));
        }
        Decision refused = peek(refusedCredentialsFrom(clientAddress));
        return refused.allowed() ? take(credential) : refused;
    }

    /** The request's credential was refused (401): it counts for its address. */
    public void credentialRefused(String clientAddress) {
        take(refusedCredentialsFrom(clientAddress)); // a made-up key would otherwise have a full bucket of its own each time
    }

    /** Whether the caller has a request left now, without taking it. */
    public Decision peek(String caller) {
        long now = nanoTime.getAsLong();
        Bucket bucket = buckets.get(caller);
        if (bucket == null) {
            return new Decision(true, burst, 0);
        }
        synchronized (bucket) {
            return bucket.dropped ? new Decision(true, burst, 0) : bucket.look(now);
        }
    }

    /** How many callers have a bucket now (tests, metrics). */
    public int callers() {
        return buckets.size();
    }

    /**
     * The caller a request's {@code Authorization} header names: its bearer token read as the services
     * read it ({@code Bearer <token>}, the token trimmed), never kept (a SHA-256 of it); null for none
     * or any other kind, which the services refuse before looking anything up.
     */
    public static String credentialOf(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return null;
        }
        String token = authorization.substring("Bearer ".length()).trim();
        if (token.isEmpty()) {
            return null;
        }
        try {
            return "credential:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The caller a client address is. */
    public static String addressOf(String clientAddress) {
        return "address:" + clientAddress;
    }

    /**
     * The bucket of the credentials refused from a client address: apart from the address's own
     * requests, so that reading public pages does not hold up the address's signed-in requests.
     */
    public static String refusedCredentialsFrom(String clientAddress) {
        return "refused:" + clientAddress;
    }

    private void sweep(long now) {
        long last = lastSweep.get();
        if (now - last < refillNanos || !lastSweep.compareAndSet(last, now)) {
            return;
        }
        buckets.forEach((caller, bucket) -> {
            synchronized (bucket) {
                if (now - bucket.updated >= refillNanos) {
                    bucket.dropped = true;
                    buckets.remove(caller, bucket);
                }
            }
        });
    }

    private final class Bucket {
        private double tokens;
        private long updated;
        private boolean dropped;

        Bucket(int tokens, long now) {
            this.tokens = tokens;
            this.updated = now;
        }

        Decision take(long now) {
            Decision decision = look(now);
            if (decision.allowed()) {
                tokens -= 1;
                return new Decision(true, (long) Math.floor(tokens), 0);
            }
            return decision;
        }

        /** Refills up to now; what a request could do, nothing taken. */
        Decision look(long now) {
            if (now > updated) {
                tokens = Math.min(burst, tokens + (now - updated) * perSecond / NANOS);
                updated = now;
            }
            if (tokens >= 1) {
                return new Decision(true, (long) Math.floor(tokens), 0);
            }
            return new Decision(false, 0, Math.max(1, (long) Math.ceil((1 - tokens) / perSecond)));
        }
    }
}
