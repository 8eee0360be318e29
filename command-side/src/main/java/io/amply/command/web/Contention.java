package io.amply.command.web;

import io.amply.events.api.ApiError;
import io.amply.events.api.ApiErrorCode;
import org.axonframework.common.lock.LockAcquisitionFailedException;
import org.springframework.dao.PessimisticLockingFailureException;

import java.sql.SQLException;
import java.util.Set;

/**
 * A request that gave up waiting for other transactions' locks: PostgreSQL's {@code lock_timeout}
 * ran out (the command side's connections carry one, see command-side.yml), it was chosen as a
 * deadlock's victim, or Axon's lock on an aggregate was not had in time. Its transaction rolled back,
 * so nothing of it was written and the client may send it again: it is answered 429
 * {@code rate_limit_exceeded} with {@code Retry-After}, as Stripe answers its own lock timeouts,
 * not as our failure (500).
 */
public final class Contention {

    /** lock_not_available, deadlock_detected, serialization_failure. */
    private static final Set<String> SQL_STATES = Set.of("55P03", "40P01", "40001");
    static final String RETRY_AFTER_SECONDS = "1";

    private Contention() {
    }

    /** Whether the failure, or anything that caused it, is such a wait given up. */
    public static boolean is(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof PessimisticLockingFailureException || cause instanceof LockAcquisitionFailedException
                    || cause instanceof SQLException sql && SQL_STATES.contains(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    static ApiError error() {
        return ApiError.of(ApiErrorCode.RATE_LIMIT_EXCEEDED, "other requests were changing the same records and this one "
                + "waited too long for them; nothing of it was written: send it again", null);
    }
}
