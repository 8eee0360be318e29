package io.amply.command;

import org.axonframework.common.caching.Cache;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Long-lived aggregates (organisations, funds: every money movement of a fund is one of its
 * events; campaigns and businesses: an event per donation counted or matched) are snapshotted
 * every N events, and recently used aggregates stay in memory, so a command does not replay a
 * fund's whole history.
 */
@Configuration(proxyBeanMethods = false)
class AggregateConfiguration {

    @Bean
    Cache aggregateCache(@Value("${amply.aggregate-cache.size:50000}") int size) {
        return new LruCache(size);
    }

    @Bean
    SnapshotTriggerDefinition fundSnapshotTrigger(Snapshotter snapshotter,
                                                  @Value("${amply.snapshots.fund-threshold:100}") int threshold) {
        return new EventCountSnapshotTriggerDefinition(snapshotter, threshold);
    }

    @Bean
    SnapshotTriggerDefinition organisationSnapshotTrigger(Snapshotter snapshotter,
                                                          @Value("${amply.snapshots.organisation-threshold:100}") int threshold) {
        return new EventCountSnapshotTriggerDefinition(snapshotter, threshold);
    }

    @Bean
    SnapshotTriggerDefinition campaignSnapshotTrigger(Snapshotter snapshotter,
                                                      @Value("${amply.snapshots.campaign-threshold:100}") int threshold) {
        return new EventCountSnapshotTriggerDefinition(snapshotter, threshold);
    }

    @Bean
    SnapshotTriggerDefinition businessSnapshotTrigger(Snapshotter snapshotter,
                                                      @Value("${amply.snapshots.business-threshold:100}") int threshold) {
        return new EventCountSnapshotTriggerDefinition(snapshotter, threshold);
    }
}
