package io.amply.query.checkpoint;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The configured places checkpoint files are exported to: the export directory and/or an
 * S3-compatible bucket ({@code amply.checkpoints.s3.*}), possibly none. A half-configured bucket
 * stops the start-up rather than leaving checkpoints unpublished for ever.
 */
@Component
class ExportTargets {

    private static final Logger log = LoggerFactory.getLogger(ExportTargets.class);

    private final List<ExportTarget> targets;

    @Autowired
    ExportTargets(@Value("${amply.checkpoints.export-directory:}") String exportDirectory,
                  @Value("${amply.checkpoints.s3.endpoint:}") String s3Endpoint,
                  @Value("${amply.checkpoints.s3.bucket:}") String s3Bucket,
                  @Value("${amply.checkpoints.s3.region:us-east-1}") String s3Region,
                  @Value("${amply.checkpoints.s3.prefix:}") String s3Prefix,
                  @Value("${amply.checkpoints.s3.access-key-id:}") String s3AccessKeyId,
                  @Value("${amply.checkpoints.s3.secret-access-key:}") String s3SecretAccessKey,
                  @Value("${amply.checkpoints.s3.path-style:true}") boolean s3PathStyle,
                  @Value("${amply.checkpoints.s3.timeout:PT30S}") Duration s3Timeout,
                  Clock clock) {
        List<ExportTarget> configured = new ArrayList<>();
        if (!exportDirectory.isBlank()) {
            configured.add(new DirectoryExportTarget(Path.of(exportDirectory)));
        }
        if (!s3Endpoint.isBlank()) {
            configured.add(new S3ExportTarget(s3Settings(s3Endpoint, s3Bucket, s3Region, s3Prefix, s3AccessKeyId,
                    s3SecretAccessKey, s3PathStyle, s3Timeout), clock));
        }
        this.targets = List.copyOf(configured);
        if (targets.isEmpty()) {
            log.info("checkpoints are exported nowhere (amply.checkpoints.export-directory and amply.checkpoints.s3.endpoint are empty)");
        } else {
            targets.forEach(t -> log.info("checkpoints are exported to {}", t.describe()));
        }
    }

    /** For tests. */
    ExportTargets(List<ExportTarget> targets) {
        this.targets = List.copyOf(targets);
    }

    /** Checks the S3 settings once, at start-up, naming every missing one (never a secret's value). */
    static S3ExportTarget.Settings s3Settings(String endpoint, String bucket, String region, String prefix,
                                              String accessKeyId, String secretAccessKey, boolean pathStyle,
                                              Duration timeout) {
        List<String> missing = new ArrayList<>();
        if (bucket.isBlank()) {
            missing.add("amply.checkpoints.s3.bucket (AMPLY_CHECKPOINT_S3_BUCKET)");
        }
        if (accessKeyId.isBlank()) {
            missing.add("amply.checkpoints.s3.access-key-id (AMPLY_CHECKPOINT_S3_ACCESS_KEY_ID)");
        }
        if (secretAccessKey.isBlank()) {
            missing.add("amply.checkpoints.s3.secret-access-key (AMPLY_CHECKPOINT_S3_SECRET_ACCESS_KEY)");
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("amply.checkpoints.s3.endpoint is set (" + endpoint
                    + "), so the S3 export target also needs: " + String.join(", ", missing));
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalStateException("amply.checkpoints.s3.timeout must be positive, not " + timeout);
        }
        URI uri;
        try {
            uri = URI.create(endpoint.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("amply.checkpoints.s3.endpoint is not a URL: " + endpoint, e);
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                || uri.getRawQuery() != null) {
            throw new IllegalStateException("amply.checkpoints.s3.endpoint must be an http(s) URL such as "
                    + "https://s3.eu-west-2.amazonaws.com, not " + endpoint);
        }
        String p = prefix.strip();
        while (p.startsWith("/")) {
            p = p.substring(1); // a leading slash would make an empty path segment
        }
        return new S3ExportTarget.Settings(uri, bucket.strip(), region.isBlank() ? "us-east-1" : region.strip(), p,
                new SigV4.Credentials(accessKeyId.strip(), secretAccessKey.strip()), pathStyle, timeout);
    }

    boolean isEmpty() {
        return targets.isEmpty();
    }

    /** The same object to every target; throws at the first that does not take it (the caller retries it all). */
    void put(String key, byte[] content, String contentType) throws IOException {
        for (ExportTarget target : targets) {
            target.put(key, content, contentType);
        }
    }
}
