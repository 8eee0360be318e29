import io.amply.events.identity.MessageIdentifiers;

import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

/**
 * What a message identifier costs: Axon's default (UUID.randomUUID(), the JVM's shared NativePRNG)
 * against MessageIdentifiers (a DRBG per thread, drawn a block at a time), alternating, on 1 and on
 * 32 threads (as many as the request threads under load). Run from the repository's root after a build:
 *
 *   M=~/.m2/repository; java -cp shared-events/target/classes:$M/org/axonframework/axon-messaging/4.13.0/axon-messaging-4.13.0.jar:$M/org/slf4j/slf4j-api/2.0.17/slf4j-api-2.0.17.jar \
 *     local-launcher/bench/java/IdentifierCost.java
 */
public class IdentifierCost {

    static volatile int sink;

    public static void main(String[] args) throws Exception {
        MessageIdentifiers ours = new MessageIdentifiers();
        Supplier<String> axonDefault = () -> UUID.randomUUID().toString();
        Supplier<String> messageIdentifiers = ours::generateIdentifier;
        for (int threads : new int[] {1, 32}) {
            for (int round = 0; round < 7; round++) {
                double a = nanosPerId(axonDefault, threads);
                double b = nanosPerId(messageIdentifiers, threads);
                if (round >= 2) { // the first two rounds warm the JIT
                    System.out.printf("threads %2d  round %d  UUID.randomUUID %7.0f ns  MessageIdentifiers %7.0f ns  ratio %.2f%n",
                            threads, round, a, b, a / b);
                }
            }
        }
    }

    /** Wall time per identifier, all threads together, 200,000 identifiers per thread. */
    static double nanosPerId(Supplier<String> ids, int threads) throws InterruptedException {
        int each = 200_000;
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                int h = 0;
                for (int i = 0; i < each; i++) {
                    h += ids.get().hashCode();
                }
                sink += h;
                done.countDown();
            }).start();
        }
        long t0 = System.nanoTime();
        start.countDown();
        done.await();
        return (System.nanoTime() - t0) / (double) ((long) each * threads);
    }
}
