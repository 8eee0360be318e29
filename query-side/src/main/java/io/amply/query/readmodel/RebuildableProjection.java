package io.amply.query.readmodel;

import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;

/**
 * A read model that {@link ProjectionRebuilds} can rebuild from the event store: the projection's
 * Spring bean writes to {@link Target#LIVE}; {@link #writingTo} gives an instance of the same class
 * (the same {@code @EventHandler}s) writing to the rebuild twins.
 */
public interface RebuildableProjection {

    /** The processing group whose live tokens the rebuild replaces. */
    String processingGroup();

    /** The live tables this projection writes, each with a {@code _rebuild} twin. */
    List<String> tables();

    /**
     * An event handler object, as Axon's annotation adapter takes it, that writes to {@code target}
     * through {@code jdbc} (the rebuild's batching template).
     */
    Object writingTo(Target target, JdbcTemplate jdbc);
}
