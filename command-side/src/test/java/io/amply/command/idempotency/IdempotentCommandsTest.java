package io.amply.command.idempotency;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class IdempotentCommandsTest {

    private final SimpleCommandBus bus = SimpleCommandBus.builder().build();
    private final List<List<Object>> marked = new CopyOnWriteArrayList<>();
    /** The database as far as the marks go: each update's arguments (user, key). */
    private final JdbcTemplate database = new JdbcTemplate() {
        @Override
        public int update(String sql, Object... args) {
            marked.add(List.of(args));
            return 1;
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

    private void send(CommandMessage<?> command) {
        bus.dispatch(command); // SimpleCommandBus handles it on this thread, to its commit
    }

    private static CommandMessage<?> command() {
        return GenericCommandMessage.asCommandMessage("record a donation");
    }

    @Test
    void aCommandSentWhileServingAKeyedRequestMarksThatKey() {
        // given
        IdempotentCommands.serving(new IdempotentCommands.Claim("usr_a", "key-1"));

        // when
        send(command());

        // then
        assertThat(marked).containsExactly(List.of("usr_a", "key-1"));
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
        IdempotentCommands.serving(new IdempotentCommands.Claim("usr_a", "mine"));

        // when
        send(IdempotentCommands.sentFor(command(), new IdempotentCommands.Claim("usr_b", "theirs")));
        send(IdempotentCommands.sentFor(command(), null));

        // then
        assertThat(marked).containsExactly(List.of("usr_b", "theirs"));
    }

    @Test
    void workForNoRequestMarksNoKeyAndGivesTheThreadItsClaimBack() {
        // given
        IdempotentCommands.Claim own = new IdempotentCommands.Claim("usr_a", "mine");
        IdempotentCommands.serving(own);

        // when
        IdempotentCommands.forNoRequest(() -> {
            send(command());
            return null;
        });

        // then
        assertThat(marked).isEmpty();
        assertThat(IdempotentCommands.current()).isEqualTo(own);
    }

    @Test
    void aRefusedCommandMarksNothing() {
        // given
        IdempotentCommands.serving(new IdempotentCommands.Claim("usr_a", "key-1"));
        refuse = true;

        // when
        send(command());

        // then: rolled back before its commit, so the key may run again
        assertThat(marked).isEmpty();
    }
}
