package io.amply.query.readmodel;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /actuator/projections}: every rebuildable read model with its position on the replica
 * and its last rebuild; {@code POST /actuator/projections/{group}} starts a rebuild, whose
 * progress the GET then shows. An operations endpoint: expose it only on the management port.
 */
@Component
@Endpoint(id = "projections")
class ProjectionsEndpoint {

    private final ProjectionRebuilds rebuilds;
    private final Freshness freshness;

    ProjectionsEndpoint(ProjectionRebuilds rebuilds, Freshness freshness) {
        this.rebuilds = rebuilds;
        this.freshness = freshness;
    }

    @ReadOperation
    Map<String, Object> projections() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String group : rebuilds.groups()) {
            out.put(group, describe(group));
        }
        return out;
    }

    @ReadOperation
    Map<String, Object> projection(@Selector String group) {
        return describe(group);
    }

    /** 409 with the reason when {@code group} is being rebuilt already, here or on another node. */
    @WriteOperation
    WebEndpointResponse<Map<String, Object>> rebuild(@Selector String group) {
        try {
            return new WebEndpointResponse<>(rebuilds.start(group).describe());
        } catch (IllegalStateException e) {
            return new WebEndpointResponse<>(Map.of("error", e.getMessage()), 409 /* conflict */);
        }
    }

    private Map<String, Object> describe(String group) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("freshness", freshness.require(group, null));
        ProjectionRebuilds.RebuildStatus status = rebuilds.status(group);
        out.put("rebuild", status == null ? null : status.describe());
        return out;
    }
}
