package io.amply.events.identity;

import org.axonframework.common.IdentifierFactory;
import org.axonframework.eventhandling.GenericEventMessage;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class MessageIdentifiersTest {

    private final SecureRandom random = new SecureRandom();

    private byte[] randomBytes() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return bytes;
    }

    @Test
    void anIdentifierIsAVersionSevenUuidCarryingItsMillisecond() {
        // given
        long millis = 1_795_000_000_123L;

        // when
        UUID id = MessageIdentifiers.next(millis, randomBytes());

        // then
        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(millis);
    }

    @Test
    void anIdentifierMadeInALaterMillisecondSortsAfterAsText() {
        // given
        long millis = System.currentTimeMillis();

        // when
        List<String> earlier = new ArrayList<>();
        List<String> later = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            earlier.add(MessageIdentifiers.next(millis, randomBytes()).toString());
            later.add(MessageIdentifiers.next(millis + 1, randomBytes()).toString());
        }

        // then: a unique index on the text sees each new event at its end
        String lastOfEarlier = earlier.stream().max(String::compareTo).orElseThrow();
        String firstOfLater = later.stream().min(String::compareTo).orElseThrow();
        assertThat(lastOfEarlier).isLessThan(firstOfLater);
    }

    @Test
    void identifiersMadeOnManyThreadsAtOnceAreAllDistinct() throws Exception {
        // given
        MessageIdentifiers identifiers = new MessageIdentifiers();
        Set<String> seen = ConcurrentHashMap.newKeySet();
        ExecutorService threads = Executors.newFixedThreadPool(8);

        // when
        List<Future<?>> work = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            work.add(threads.submit(() -> {
                for (int i = 0; i < 50_000; i++) {
                    seen.add(identifiers.generateIdentifier());
                }
            }));
        }
        for (Future<?> done : work) {
            done.get();
        }
        threads.shutdown();

        // then
        assertThat(seen).hasSize(8 * 50_000);
    }

    @Test
    void axonGivesEveryMessageSuchAnIdentifier() {
        // when
        String id = GenericEventMessage.asEventMessage("a payload").getIdentifier();

        // then
        assertThat(IdentifierFactory.getInstance()).isInstanceOf(MessageIdentifiers.class);
        assertThat(UUID.fromString(id).version()).isEqualTo(7);
    }
}
