package io.amply.local;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalOptionsTest {

    @Test
    void theOperatorsEndpointsHavePortsOfTheirOwnByDefault() {
        LocalOptions options = LocalOptions.parse(new String[0], Map.of());
        assertThat(options.commandPort()).isEqualTo(8080);
        assertThat(options.queryPort()).isEqualTo(8081);
        assertThat(options.commandManagementPort()).isEqualTo(8090);
        assertThat(options.queryManagementPort()).isEqualTo(8091);
    }

    @Test
    void aManagementPortThatIsAlsoAnApiPortIsRefused() {
        assertThatThrownBy(() -> LocalOptions.parse(new String[]{"--query-management-port=8081"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("every port must be different");
        assertThatThrownBy(() -> LocalOptions.parse(new String[0], Map.of("AMPLY_LOCAL_COMMAND_MANAGEMENT_PORT", "8080")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
