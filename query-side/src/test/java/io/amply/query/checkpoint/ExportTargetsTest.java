package io.amply.query.checkpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExportTargetsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void nothingConfiguredMeansNoTargets() {
        assertThat(targets("", "", "", "", "").isEmpty()).isTrue();
    }

    @Test
    void theDirectoryAndTheBucketAreBothTargets(@TempDir Path dir) {
        ExportTargets targets = targets(dir.toString(), "http://localhost:9000", "bucket", "AKID", "secret");

        assertThat(targets.isEmpty()).isFalse();
    }

    @Test
    void anEndpointWithoutBucketOrKeysStopsTheStartUpNamingWhatIsMissing() {
        assertThatThrownBy(() -> targets("", "http://localhost:9000", "", "", ""))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("amply.checkpoints.s3.bucket")
                .hasMessageContaining("AMPLY_CHECKPOINT_S3_ACCESS_KEY_ID")
                .hasMessageContaining("AMPLY_CHECKPOINT_S3_SECRET_ACCESS_KEY");
        assertThatThrownBy(() -> targets("", "http://localhost:9000", "bucket", "AKID", ""))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("secret-access-key")
                .hasMessageNotContaining("access-key-id (");
    }

    @Test
    void anEndpointThatIsNotAnHttpUrlStopsTheStartUpWithoutShowingTheSecret() {
        for (String endpoint : new String[]{"localhost:9000", "ftp://host/", "http:///nohost", "http://h/?x=1"}) {
            assertThatThrownBy(() -> targets("", endpoint, "bucket", "AKID", "very-secret")).as(endpoint)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("amply.checkpoints.s3.endpoint")
                    .hasMessageNotContaining("very-secret");
        }
    }

    @Test
    void settingsAreTidiedRegionDefaultsAndALeadingSlashOfThePrefixGoes() {
        S3ExportTarget.Settings settings = ExportTargets.s3Settings(" http://localhost:9000 ", " bucket ", "", "/ledger/",
                "AKID", "s3cr3t-value", true, TIMEOUT);

        assertThat(settings.region()).isEqualTo("us-east-1");
        assertThat(settings.prefix()).isEqualTo("ledger/");
        assertThat(settings.bucket()).isEqualTo("bucket");
        assertThat(settings.toString()).doesNotContain("s3cr3t-value");
    }

    @Test
    void putGoesToEveryTargetAndStopsAtTheFirstFailure() {
        // given
        List<String> calls = new ArrayList<>();
        ExportTarget ok = recording("ok", calls, false);
        ExportTarget failing = recording("failing", calls, true);
        ExportTarget never = recording("never", calls, false);
        ExportTargets targets = new ExportTargets(List.of(ok, failing, never));

        // then
        assertThatThrownBy(() -> targets.put("jwks.json", new byte[0], "application/json")).isInstanceOf(IOException.class);
        assertThat(calls).containsExactly("ok jwks.json", "failing jwks.json");
    }

    private static ExportTarget recording(String name, List<String> calls, boolean fail) {
        return new ExportTarget() {
            @Override
            public void put(String key, byte[] content, String contentType) throws IOException {
                calls.add(name + " " + key);
                if (fail) {
                    throw new IOException(name + " is down");
                }
            }

            @Override
            public String describe() {
                return name;
            }
        };
    }

    private static ExportTargets targets(String directory, String endpoint, String bucket, String keyId, String secret) {
        return new ExportTargets(directory, endpoint, bucket, "us-east-1", "", keyId, secret, true, TIMEOUT,
                Clock.systemUTC());
    }
}
