package io.amply.command.web;

import io.amply.command.RuleViolation;
import io.amply.events.api.ApiError;
import io.amply.events.api.ApiErrorCode;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.springframework.stereotype.Component;

import java.util.Optional;

/**
 * A command refused for the client's reason (an aggregate's rule, a missing aggregate, a check at
 * its commit) must reach the client as that reason, whichever node handled it. Axon Server sends a
 * handler's exception back as its message alone, its class lost, so a {@link RuleViolation} would
 * come back as a {@code 500}. A refusal therefore leaves its handler as a {@link CommandExecutionException}
 * whose details are the {@link ApiError} to answer with: Axon Server serializes those with the
 * messages (Jackson), and the local bus hands the exception back as it is.
 */
@Component
public class CommandRefusals {

    CommandRefusals(CommandBus commandBus) {
        commandBus.registerHandlerInterceptor(asRefusals());
    }

    /** {@code refusal} in the form that survives the trip back from any node. */
    public static CommandExecutionException travelling(ApiException refusal) {
        return refused(refusal.code(), refusal.getMessage(), refusal.param(), refusal);
    }

    /** The answer a command's failure carries, if the command was refused for the client's reason. */
    public static Optional<ApiError> answer(Throwable failure) {
        return failure instanceof CommandExecutionException e
                ? e.getDetails().filter(ApiError.class::isInstance).map(ApiError.class::cast)
                : Optional.empty();
    }

    static MessageHandlerInterceptor<CommandMessage<?>> asRefusals() {
        return (unitOfWork, chain) -> {
            try {
                return chain.proceed();
            } catch (RuleViolation e) {
                throw refused(codeOf(e), e.getMessage(), e.param(), e);
            } catch (ApiException e) {
                throw travelling(e);
            } catch (AggregateNotFoundException e) {
                throw refused(ApiErrorCode.NOT_FOUND, "no such resource", null, e);
            }
        };
    }

    static ApiErrorCode codeOf(RuleViolation violation) {
        return switch (violation.kind()) {
            case INVALID -> ApiErrorCode.INVALID_REQUEST;
            case CONFLICT -> ApiErrorCode.CONFLICT;
            case FORBIDDEN -> ApiErrorCode.AUTHORIZATION_ERROR;
            case NOT_FOUND -> ApiErrorCode.NOT_FOUND;
        };
    }

    private static CommandExecutionException refused(ApiErrorCode code, String message, String param, Throwable cause) {
        return new CommandExecutionException(message, cause, ApiError.of(code, message, param));
    }
}
