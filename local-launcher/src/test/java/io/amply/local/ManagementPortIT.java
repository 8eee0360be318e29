package io.amply.local;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Operators' endpoints (health with its details, metrics, the cross-check, the dead letters, the
 * rebuilds) answer on a port of their own, never on the public API's: anyone can reach the API,
 * and a POST there must not start a rebuild of every chain.
 */
class ManagementPortIT {

    @Test
    void operatorsEndpointsAnswerOnlyOnTheManagementPort() {
        // given
        TestStack.Apps apps = TestStack.get().apps();

        // when / then: nothing of them on the public ports
        assertThat(Http.get(apps.queryUrl() + "/actuator/health", null).status()).isEqualTo(404);
        assertThat(Http.get(apps.queryUrl() + "/actuator/prometheus", null).status()).isEqualTo(404);
        assertThat(Http.post(apps.queryUrl() + "/actuator/ledgercrosscheck", null, "").status()).isEqualTo(404);
        assertThat(Http.post(apps.queryUrl() + "/actuator/projections/transactions", null, "{}").status()).isEqualTo(404);
        assertThat(Http.get(apps.commandUrl() + "/actuator/health", null).status()).isEqualTo(404);

        // and all of them on the management ports
        assertThat(Http.get(apps.queryManagementUrl() + "/health", null).body().get("components").has("eventProcessors")).isTrue();
        assertThat(Http.get(apps.queryManagementUrl() + "/projections", null).status()).isEqualTo(200);
        assertThat(Http.get(apps.commandManagementUrl() + "/health", null).status()).isEqualTo(200);
    }
}
