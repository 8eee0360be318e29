package io.amply.command.web;

import io.amply.events.api.ApiError;
import io.amply.events.api.ApiErrorCode;
import io.amply.events.api.DatabaseUnavailable;
import org.axonframework.common.lock.DeadlockException;
import org.axonframework.common.lock.LockAcquisitionFailedException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.springframework.dao.PessimisticLockingFailureException;

import java.sql.SQLException;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A request that gave up waiting for other transactions' locks: PostgreSQL's {@code lock_timeout}
 * ran out (the command side's connections carry one, see command-side.yml), it was chosen as a
 * deadlock's victim, or Axon's lock on an aggregate was not had in time (a minute). Its transaction
 * rolled back, so nothing of it was written and the client may send it again: it is answered 429
 * {@code rate_limit_exceeded} with {@code Retry-After}, as Stripe answers its own lock timeouts,
 * not as our failure (500).
 * <p>
 * The same goes for a command decided on a stale copy of its aggregate ({@link #staleCopy}): with
 * several command nodes each keeps its own aggregate cache, so a node whose copy missed another
 * node's events can accept a command whose events then collide with those stored (Axon's
 * {@code ConcurrencyException}). Nothing was written, the copy was dropped with the rollback, and
 * the same request sent again is decided on the stored events.
 * <p>
 * And for a transaction the database refused to commit because its events would have been seen too
 * late ({@link #tooLate}, V30__event_commit_deadline.sql): it began, or its events were created, more
 * than 15 s before its commit, which happens only while something held it up that long.
 */
public final class Contention {

    private static final String LOCK_NOT_AVAILABLE = "55P03";
    private static final String DEADLOCK = "40P01";
    /** Raised by the event store's commit deadline (V30): PostgreSQL 17 names it transaction_timeout. */
    private static final String COMMITTED_TOO_LATE = "25P04";
    /** lock_not_available, deadlock_detected, serialization_failure, the commit deadline. */
    private static final Set<String> SQL_STATES = Set.of(LOCK_NOT_AVAILABLE, DEADLOCK, "40001", COMMITTED_TOO_LATE);
    static final String RETRY_AFTER_SECONDS = "1";

    private Contention() {
    }

    /** Whether the failure, or anything that caused it, is such a wait given up (or a deadlock lost). */
    public static boolean is(Throwable failure) {
        return staleCopy(failure) || causes(failure).anyMatch(cause -> cause instanceof PessimisticLockingFailureException
                || cause instanceof LockAcquisitionFailedException || SQL_STATES.contains(sqlState(cause)));
    }

    /** Whether an aggregate's events collided with events stored meanwhile: its cached copy was stale. */
    public static boolean staleCopy(Throwable failure) {
        return causes(failure).anyMatch(cause -> cause instanceof ConcurrencyException);
    }

    /**
     * Whether it waited out a lock timeout: the lock is still held, by something slow or stuck, and
     * trying again at once would wait as long. A deadlock's victim, by contrast, is free to go on
     * as soon as the other side has.
     */
    public static boolean waitedOut(Throwable failure) {
        return causes(failure).noneMatch(cause -> cause instanceof DeadlockException || DEADLOCK.equals(sqlState(cause)))
                && causes(failure).anyMatch(cause -> cause instanceof LockAcquisitionFailedException
                        || LOCK_NOT_AVAILABLE.equals(sqlState(cause)));
    }

    /** Whether the database refused to commit events that would have been seen too late (V30). */
    public static boolean tooLate(Throwable failure) {
        return causes(failure).anyMatch(cause -> COMMITTED_TOO_LATE.equals(sqlState(cause)));
    }

    /** Axon's own aggregate lock not had in a minute: something holds an aggregate far too long (a bug, not load). */
    static boolean aggregateLockTimedOut(Throwable failure) {
        return causes(failure).anyMatch(cause -> cause instanceof LockAcquisitionFailedException && !(cause instanceof DeadlockException));
    }

    private static Stream<Throwable> causes(Throwable failure) {
        return DatabaseUnavailable.causes(failure);
    }

    private static String sqlState(Throwable cause) {
        return cause instanceof SQLException sql && sql.getSQLState() != null ? sql.getSQLState() : "";
    }

    static ApiError error(Throwable failure) {
        return ApiError.of(ApiErrorCode.RATE_LIMIT_EXCEEDED, staleCopy(failure)
                ? "another request changed the same records at the same moment; nothing of this one was written: send it again"
                : tooLate(failure)
                ? "this request was held up too long before it could be stored (the system is overloaded or waiting for "
                + "the database); nothing of it was written: send it again"
                : "other requests were changing the same records and this one waited too long for them; nothing of it was "
                + "written: send it again", null);
    }
}
