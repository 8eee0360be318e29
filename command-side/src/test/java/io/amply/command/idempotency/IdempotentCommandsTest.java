package io.amply.command.idempotency;

import io.amply.command.web.CommandRefusals;
import io.amply.events.api.ApiErrorCode;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.CommandResultMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class IdempotentCommandsTest {

    private final SimpleCommandBus bus = SimpleCommandBus.builder().build();
    private final List<List<Object>> marked = new CopyOnWriteArrayList<>();
    /** The database as far as the marks go: each update's arguments (user, key, claim), and the rows it finds. */
    private volatile int keysHeld = 1;
    private final JdbcTemplate database = new JdbcTemplate() {
        @Override
        public int update(String sql, Object... args) {
            marked.add(List.of(args));
            return keysHeld;
        }
    };
    private volatile boolean refuse;

    @BeforeEach
    void wire() {
        new IdempotentCommands(bus, database);
        bus.subscribe(String.class.getName(), command -> {
            if (refuse) {
                throw new IllegalStateException("refused");
            }
            return null;
        });
    }

    @AfterEach
    void leaveTheThreadClean() {
        IdempotentCommands.served();
    }

    /** Whether it committed: SimpleCommandBus handles it on this thread, to its commit. */
    private boolean send(CommandMessage<?> command) {
        return !outcome(command).isExceptional();
    }

    private CommandResultMessage<?> outcome(CommandMessage<?> command) {
        AtomicReference<CommandResultMessage<?>> outcome = new AtomicReference<>();
        bus.dispatch(command, (message, result) -> outcome.set(result));
        return outcome.get();
    }

    private static CommandMessage<?> command() {
        return GenericCommandMessage.asCommandMessage("record a donation");
    }

    @Test
    void aCommandSentWhileServingAKeyedRequestMarksThatKey() {
        // given
        IdempotentCommands.serving(new IdempotentCommands.Claim("usr_a", "key-1", 11L));

        // when
        boolean committed = send(command());

        // then
        assertThat(committed).isTrue();
        assertThat(marked).containsExactly(List.of("usr_a", "key-1", 11L));
    }

    @Test
    void aCommandSentOutsideAKeyedRequestMarksNothing() {
        // when
        send(command());

        // then
        assertThat(marked).isEmpty();
    }

    @Test
    void aCommandSentForAnotherRequestMarksThatRequestsKeyNotThisThreads() {
        // given: a donation batch's thread serves its own request and records another's
        IdempotentCommands.serving(new IdempotentCommands.Claim("usr_a", "mine", 12L));

        // when
        send(IdempotentCommands.sentFor(command(), new IdempotentCommands.Claim("usr_b", "theirs", 13L)));
        send(IdempotentCommands.sentFor(command(), null));

        // then
        assertThat(marked).containsExactly(List.of("usr_b", "theirs", 13L));
    }

    @Test
    void workForNoRequestMarksNoKeyAndGivesTheThreadItsClaimBack() {
        // given
        IdempotentCommands.Claim own = new IdempotentCommands.Claim("usr_a", "mine", 12L);
        IdempotentCommands.serving(own);

        // when
        IdempotentCommands.forNoRequest(() -> send(command()));

        // then
        assertThat(marked).isEmpty();
        assertThat(IdempotentCommands.current()).isEqualTo(own);
    }

    @Test
    void aCommandWhoseKeyARetryTookOverRollsBack() {
        // given: a request so late that a retry has claimed its key anew
        IdempotentCommands.serving(new IdempotentCommands.Claim("usr_a", "key-1", 11L));
        keysHeld = 0;

        // when
        CommandResultMessage<?> outcome = outcome(command());

        // then: not recorded beside the retry's, and the client is told why, from whichever node ran it
        assertThat(outcome.isExceptional()).isTrue();
        assertThat(CommandRefusals.answer(outcome.exceptionResult())).hasValueSatisfying(answer -> {
            assertThat(answer.error().code()).isEqualTo(ApiErrorCode.CONFLICT);
            assertThat(answer.error().message()).contains("taken over by a retry");
        });
    }

    @Test
    void aRefusedCommandMarksNothing() {
        // given
        IdempotentCommands.serving(new IdempotentCommands.Claim("usr_a", "key-1", 11L));
        refuse = true;

        // when
        boolean committed = send(command());

        // then: rolled back before its commit, so the key may run again
        assertThat(committed).isFalse();
        assertThat(marked).isEmpty();
    }
}
