package io.amply.command.web;

import io.amply.command.RuleViolation;
import io.amply.events.api.ApiError;
import io.amply.events.api.ApiErrorCode;
import org.axonframework.axonserver.connector.AxonServerConfiguration;
import org.axonframework.axonserver.connector.command.CommandSerializer;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.GenericCommandResultMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A refusal as it comes back from Axon Server: the trip is the one its command bus makes (the
 * handler's outcome serialized into a {@code CommandResponse} and read back on the dispatching node),
 * with the messages' serializer the services use (Jackson).
 */
class CommandRefusalsTest {

    private final CommandSerializer axonServer = new CommandSerializer(JacksonSerializer.defaultSerializer(),
            new AxonServerConfiguration());
    private final UnitOfWork<CommandMessage<?>> unitOfWork = DefaultUnitOfWork.startAndGet(GenericCommandMessage.asCommandMessage("refund"));

    @AfterEach
    void end() {
        unitOfWork.rollback();
    }

    @Test
    void aBrokenRuleReachesTheDispatchingNodeAsItsAnswer() throws Exception {
        // when
        Throwable failure = handled(RuleViolation.invalid("amount", "refunds at most the 500 received"));

        // then
        assertThat(answerAfterTheTrip(failure))
                .contains(ApiError.of(ApiErrorCode.INVALID_REQUEST, "refunds at most the 500 received", "amount"));
    }

    @Test
    void aBrokenRuleOfStateIsAConflict() throws Exception {
        // when
        Throwable failure = handled(RuleViolation.conflict("fund fnd_1 still holds 700"));

        // then
        assertThat(answerAfterTheTrip(failure)).contains(ApiError.of(ApiErrorCode.CONFLICT, "fund fnd_1 still holds 700", null));
    }

    @Test
    void aMissingAggregateIsNotFound() throws Exception {
        // when
        Throwable failure = handled(new AggregateNotFoundException("don_1", "no aggregate don_1"));

        // then
        assertThat(answerAfterTheTrip(failure)).contains(ApiError.of(ApiErrorCode.NOT_FOUND, "no such resource", null));
    }

    @Test
    void aRefusalAtTheCommitTravelsAsItsAnswer() {
        // when
        Throwable failure = CommandRefusals.travelling(ApiException.conflict("the key was taken over"));

        // then
        assertThat(answerAfterTheTrip(failure)).contains(ApiError.of(ApiErrorCode.CONFLICT, "the key was taken over", null));
    }

    @Test
    void anythingElseIsLeftAsItIsAndHasNoAnswer() throws Exception {
        // given
        IllegalStateException broken = new IllegalStateException("the database went away");

        // when
        Throwable failure = handled(broken);

        // then: answered as our failure (500), never as the client's
        assertThat(failure).isSameAs(broken);
        assertThat(answerAfterTheTrip(failure)).isEmpty();
    }

    @Test
    void withoutItABrokenRuleWouldComeBackFromAxonServerWithoutItsKind() {
        // when: the exception a handler throws, as Axon Server carries it back
        Throwable failure = afterTheTrip(RuleViolation.invalid("amount", "refunds at most the 500 received"));

        // then: only its message is left, which the API could answer only as our own failure
        assertThat(failure).isNotInstanceOf(RuleViolation.class).hasMessageContaining("refunds at most");
        assertThat(failure.getCause()).isNotInstanceOf(RuleViolation.class);
        assertThat(CommandRefusals.answer(failure)).isEmpty();
    }

    /** What the command bus's handler interceptor lets out when the handler throws {@code thrown}. */
    private Throwable handled(Exception thrown) throws Exception {
        try {
            CommandRefusals.asRefusals().handle(unitOfWork, () -> {
                throw thrown;
            });
        } catch (Exception e) {
            return e;
        }
        throw new AssertionError("the interceptor swallowed " + thrown);
    }

    private Optional<ApiError> answerAfterTheTrip(Throwable failure) {
        return CommandRefusals.answer(afterTheTrip(failure));
    }

    private Throwable afterTheTrip(Throwable failure) {
        return axonServer.deserialize(axonServer.serialize(GenericCommandResultMessage.asCommandResultMessage(failure), "request-1"))
                .exceptionResult();
    }
}
