package io.amply.command.web;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class IdsTest {

    @Test
    void anIdIsItsPrefixAndBase62CharactersUpToTwenty() {
        // when
        String id = Ids.next("don_");

        // then
        assertThat(id).hasSize(20).startsWith("don_").matches("don_[0-9A-Za-z]{16}");
        assertThat(Ids.looksLike("don_", id)).isTrue();
    }

    @Test
    void everyCharacterIsEquallyLikelyAndNoIdRepeats() {
        // given
        int ids = 100_000;
        Map<Character, Integer> counts = new HashMap<>();
        Set<String> seen = new HashSet<>();

        // when
        for (int i = 0; i < ids; i++) {
            String id = Ids.next("org_");
            seen.add(id);
            for (char c : id.substring(4).toCharArray()) {
                counts.merge(c, 1, Integer::sum);
            }
        }

        // then: 1,600,000 characters, ≈ 25,806 of each of the 62; ± 5 % is eight standard deviations
        assertThat(seen).hasSize(ids);
        assertThat(counts).hasSize(62);
        double expected = ids * 16 / 62.0;
        assertThat(counts.values()).allSatisfy(n -> assertThat((double) n).isBetween(expected * 0.95, expected * 1.05));
    }
}
