package io.amply.events.identity;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class ThreadRandomTest {

    @Test
    void noPieceOfABlockIsHandedOutTwice() {
        // given: pieces of sizes that do not divide the block, so many of them span two blocks
        Set<String> seen = new HashSet<>();

        // when
        for (int i = 0; i < 10_000; i++) {
            byte[] piece = new byte[1 + i % 37];
            ThreadRandom.fill(piece);
            if (piece.length >= 8) {
                seen.add(HexFormat.of().formatHex(piece));
            }
        }

        // then: 8 bytes or more never repeat by chance
        long eightOrMore = IntStream.range(0, 10_000).filter(i -> 1 + i % 37 >= 8).count();
        assertThat(seen).hasSize((int) eightOrMore);
    }

    @Test
    void aPieceLargerThanABlockIsFilledToItsEnd() {
        // given
        byte[] large = new byte[1_000];

        // when
        ThreadRandom.fill(large);

        // then: no run of 64 zero bytes, as an unfilled tail would leave
        int zeroRun = 0;
        int longest = 0;
        for (byte b : large) {
            zeroRun = b == 0 ? zeroRun + 1 : 0;
            longest = Math.max(longest, zeroRun);
        }
        assertThat(longest).isLessThan(64);
    }
}
