package io.amply.command.idempotency;

import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Marks an {@code Idempotency-Key} as <em>recorded</em> in the same transaction as the commands its
 * request sent, so that whether they committed is known even if the response never is.
 * <p>
 * The key is claimed before the request runs and its response stored after, each in a transaction
 * of its own ({@link IdempotencyKeys}). A node that dies between the command's commit and storing
 * the response leaves the key claimed with no response: without this mark, the client's retry
 * would run the request again once the claim counted as abandoned, and record the money twice.
 * With it, a key whose commands committed is never run again.
 * <p>
 * Each command carries its request's key in its metadata ({@link #META}): added when it is sent
 * from the request's own thread, or explicitly ({@link #sentFor}) when another thread sends it, as
 * a donation batch does for the donations recorded with it. The metadata stays on the command; no
 * event carries it.
 */
@Component
public class IdempotentCommands {

    /** A request's key claimed by its user; {@code null} where a request has none. */
    public record Claim(String userId, String key) {
    }

    static final String META = "idempotencyClaim";
    private static final ThreadLocal<Claim> CURRENT = new ThreadLocal<>();

    IdempotentCommands(CommandBus commandBus, JdbcTemplate jdbc) {
        commandBus.registerDispatchInterceptor(stamp());
        commandBus.registerHandlerInterceptor(markOnCommit(jdbc));
    }

    /** The claim of the request this thread is serving, or null. */
    public static Claim current() {
        return CURRENT.get();
    }

    /** The command as sent for the request holding {@code claim} (null: none), from whichever thread sends it. */
    public static CommandMessage<?> sentFor(CommandMessage<?> command, Claim claim) {
        return command.andMetaData(Map.of(META, encode(claim)));
    }

    /** Runs {@code work} with no request's claim on this thread: work done for several requests stamps each command itself. */
    public static <T> T forNoRequest(Supplier<T> work) {
        Claim own = CURRENT.get();
        CURRENT.remove();
        try {
            return work.get();
        } finally {
            if (own != null) {
                CURRENT.set(own);
            }
        }
    }

    static void serving(Claim claim) {
        CURRENT.set(claim);
    }

    static void served() {
        CURRENT.remove();
    }

    private static MessageDispatchInterceptor<CommandMessage<?>> stamp() {
        return messages -> (index, command) -> command.getMetaData().containsKey(META) ? command
                : command.andMetaData(Map.of(META, encode(CURRENT.get())));
    }

    private static MessageHandlerInterceptor<CommandMessage<?>> markOnCommit(JdbcTemplate jdbc) {
        return (unitOfWork, chain) -> {
            Object claim = unitOfWork.getMessage().getMetaData().get(META);
            if (claim instanceof String encoded && !encoded.isEmpty()) {
                // in the command's transaction: the mark commits, or rolls back, with what it wrote
                int separator = encoded.indexOf(' ');
                unitOfWork.onPrepareCommit(u -> jdbc.update(
                        "UPDATE idempotency_keys SET recorded = true WHERE user_id = ? AND idempotency_key = ? AND NOT recorded",
                        encoded.substring(0, separator), encoded.substring(separator + 1)));
            }
            return chain.proceed();
        };
    }

    /** A key is printable ASCII without spaces and a user id has none: one space separates them. */
    private static String encode(Claim claim) {
        return claim == null ? "" : claim.userId() + " " + claim.key();
    }
}
