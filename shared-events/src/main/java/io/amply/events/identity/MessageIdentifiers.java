package io.amply.events.identity;

import org.axonframework.common.IdentifierFactory;

import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * Axon's message identifiers as time-ordered UUIDs (version 7, RFC 9562): 48 bits of Unix
 * milliseconds, then 74 random bits from the thread's own {@link ThreadRandom}.
 *
 * <p>Installed for every Axon message through {@code META-INF/services}, in place of Axon's
 * {@code UUID.randomUUID()}, for two reasons: that draws on the JVM's one shared generator, on
 * which the request threads queued under load; and an event's identifier is a unique key in the
 * event store and in every read model that records which events it applied, where random keys
 * land on a random index page each, and time-ordered ones on the last few.
 */
public final class MessageIdentifiers extends IdentifierFactory {

    @Override
    public String generateIdentifier() {
        byte[] random = new byte[16];
        ThreadRandom.fill(random);
        return next(System.currentTimeMillis(), random).toString();
    }

    /** From the millisecond and 16 random bytes, of which 74 bits are used. */
    static UUID next(long unixMillis, byte[] random) {
        ByteBuffer bits = ByteBuffer.wrap(random);
        long randomHigh = bits.getLong();
        long randomLow = bits.getLong();
        long mostSignificant = (unixMillis << 16) | 0x7000L | (randomHigh & 0x0FFFL);
        long leastSignificant = 0x8000_0000_0000_0000L | (randomLow & 0x3FFF_FFFF_FFFF_FFFFL);
        return new UUID(mostSignificant, leastSignificant);
    }
}
