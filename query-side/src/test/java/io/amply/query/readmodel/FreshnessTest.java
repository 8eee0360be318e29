package io.amply.query.readmodel;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

class FreshnessTest {

    private static TrackingToken token(long index, Long... gaps) {
        return GapAwareTrackingToken.newInstance(index, new TreeSet<>(Arrays.asList(gaps)));
    }

    @Test
    void aPositionIsCoveredOnceEverySegmentPassedIt() {
        // given
        List<TrackingToken> tokens = List.of(token(10), token(12));

        // when / then
        assertThat(Freshness.covers(tokens, 10)).isTrue();
        assertThat(Freshness.covers(tokens, 11)).isFalse();
    }

    @Test
    void anEarlierOpenGapDoesNotHideALaterWrite() {
        // given: event 5 is still in flight elsewhere, ours is 8
        List<TrackingToken> tokens = List.of(token(9, 5L));

        // when / then
        assertThat(Freshness.covers(tokens, 8)).isTrue();
        assertThat(Freshness.covers(tokens, 5)).isFalse();
    }

    @Test
    void aSegmentThatHasNotStartedCoversNothing() {
        // given
        List<TrackingToken> tokens = Arrays.asList(token(10), null);

        // when / then
        assertThat(Freshness.covers(tokens, 1)).isFalse();
        assertThat(Freshness.covers(List.of(), 1)).isFalse();
        assertThat(Freshness.position(tokens)).isEqualTo(-1);
        assertThat(Freshness.position(List.of(token(10), token(7)))).isEqualTo(7);
    }

    @Test
    void anOrganisationsSegmentIsFoundWhateverOrderTheRowsComeIn() {
        // given: four segments' tokens, read in an order other than their ids' (the table's page order)
        Map<Integer, TrackingToken> bySegment = new LinkedHashMap<>();
        for (int segment : new int[]{2, 0, 3, 1}) {
            bySegment.put(segment, token(100 + segment));
        }

        for (int i = 0; i < 64; i++) {
            String organisationId = "org_" + i;
            int expected = organisationId.hashCode() & 3;

            // when
            List<TrackingToken> own = Freshness.own(bySegment, organisationId);

            // then: exactly the segment that handles the organisation's events
            assertThat(own).as(organisationId).containsExactly(token(100 + expected));
        }
    }
}
