package io.amply.command.web;

import io.amply.events.Visibility;
import io.amply.events.api.ApiErrorCode;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PublicAfterTest {

    private static final Instant NOW = Instant.parse("2026-05-01T10:00:00.123456789Z");

    @Test
    void aDelayedPublicEntryWithoutAMomentBecomesPublicNinetyDaysLater() {
        assertThat(PublicAfter.resolve(null, Visibility.delayed_public, NOW))
                .isEqualTo(Instant.parse("2026-07-30T10:00:00.123456Z"));
    }

    @Test
    void aMomentAheadIsKeptAtTheLedgersPrecision() {
        assertThat(PublicAfter.resolve("2026-06-01T00:00:00.1234567Z", Visibility.delayed_public, NOW))
                .isEqualTo(Instant.parse("2026-06-01T00:00:00.123456Z"));
        assertThat(PublicAfter.resolve("2026-06-01T02:00:00+02:00", Visibility.delayed_public, NOW))
                .isEqualTo(Instant.parse("2026-06-01T00:00:00Z"));
    }

    @Test
    void otherVisibilitiesHaveNone() {
        assertThat(PublicAfter.resolve(null, Visibility.public_full, NOW)).isNull();
        assertThat(PublicAfter.resolve(null, Visibility.internal_only, NOW)).isNull();
    }

    @Test
    void aMomentWithAnotherVisibilityIsRefused() {
        assertRefused("2026-06-01T00:00:00Z", Visibility.public_aggregated);
    }

    @Test
    void aMomentNotInTheFutureIsRefused() {
        assertRefused("2026-05-01T10:00:00.123456Z", Visibility.delayed_public);
        assertRefused("2020-01-01T00:00:00Z", Visibility.delayed_public);
    }

    @Test
    void aMomentMoreThanTenYearsAheadIsRefused() {
        assertThat(PublicAfter.resolve("2036-05-01T10:00:00Z", Visibility.delayed_public, NOW)).isNotNull();
        assertRefused("2036-05-01T10:00:01Z", Visibility.delayed_public);
    }

    @Test
    void somethingThatIsNotAnInstantIsRefused() {
        assertRefused("next tuesday", Visibility.delayed_public);
        assertRefused("2026-06-01", Visibility.delayed_public);
    }

    private static void assertRefused(String requested, Visibility visibility) {
        assertThatThrownBy(() -> PublicAfter.resolve(requested, visibility, NOW))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(ApiErrorCode.INVALID_REQUEST);
                    assertThat(e.param()).isEqualTo("public_after");
                });
    }
}
