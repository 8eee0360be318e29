package io.amply.command.idempotency;

import io.amply.command.web.ApiException;
import io.amply.command.web.CommandRefusals;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.Map;

/**
 * Marks an {@code Idempotency-Key} as <em>recorded</em> in the same transaction as the commands its
 * request sent, so that whether they committed is known even if the response never is.
 * <p>
 * The key is claimed before the request runs and its response stored after, each in a transaction
 * of its own ({@link IdempotencyKeys}). A node that dies between the command's commit and storing
 * the response leaves the key claimed with no response: without this mark, the client's retry
 * would run the request again once the claim counted as abandoned, and record the money twice.
 * With it, a key whose commands committed is never run again. Each claim has a token of its own,
 * and the mark names it: a request so late that a retry has taken its claim over finds no key to
 * mark, and its commands roll back instead of committing beside the retry's.
 * <p>
 * Each command carries its request's claim in its metadata: added when it is sent from the
 * request's own thread, or explicitly ({@link #sentFor}) when another thread sends it, as a donation
 * batch does for the donations recorded with it. The metadata stays on the command; no event carries
 * it (Axon copies only the correlation and trace ids into events).
 */
@Component
public class IdempotentCommands {

    /** A request's key as its user claimed it, {@code token} naming this claim; {@code null} where a request has none. */
    public record Claim(String userId, String key, long token) {
    }

    static final String USER = "idempotencyUser";
    static final String KEY = "idempotencyKey";
    static final String TOKEN = "idempotencyClaim";
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
        return command.andMetaData(metaData(claim));
    }

    /** Runs {@code work} with no request's claim on this thread: work done for several requests stamps each command itself. */
    public static void forNoRequest(Runnable work) {
        Claim own = CURRENT.get();
        CURRENT.remove();
        try {
            work.run();
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

    /** Only commands sent while serving a keyed request: the others go as they are, no copy made. */
    private static MessageDispatchInterceptor<CommandMessage<?>> stamp() {
        return messages -> (index, command) -> {
            Claim claim = CURRENT.get();
            return claim == null || command.getMetaData().containsKey(USER) ? command : command.andMetaData(metaData(claim));
        };
    }

    private static MessageHandlerInterceptor<CommandMessage<?>> markOnCommit(JdbcTemplate jdbc) {
        return (unitOfWork, chain) -> {
            Map<String, ?> metaData = unitOfWork.getMessage().getMetaData();
            if (metaData.get(USER) instanceof String user && !user.isEmpty()) {
                Object key = metaData.get(KEY);
                Object token = metaData.get(TOKEN);
                // in the command's transaction: the mark commits, or rolls back, with what it wrote
                unitOfWork.onPrepareCommit(u -> {
                    // created_at moves on: "response lost" is said only two minutes after the commands, not the claim
                    if (jdbc.update("""
                            UPDATE idempotency_keys SET recorded = true, created_at = now()
                             WHERE user_id = ? AND idempotency_key = ? AND claim = ?""", user, key, token) == 0) {
                        throw CommandRefusals.travelling(ApiException.conflict("this request's Idempotency-Key was taken "
                                + "over by a retry while it ran; nothing of it was recorded"));
                    }
                });
            }
            return chain.proceed();
        };
    }

    /** An empty user where the request has no key: {@link #sentFor} stamps it all the same, so that no thread stamps it again. */
    private static Map<String, Object> metaData(Claim claim) {
        return claim == null ? Map.of(USER, "")
                : Map.of(USER, claim.userId(), KEY, claim.key(), TOKEN, claim.token());
    }
}
