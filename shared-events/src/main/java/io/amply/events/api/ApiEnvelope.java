package io.amply.events.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code {"data": …, "meta": {"request_id": "req_…"}}}: the body of every successful request. A
 * list adds {@code has_more} and {@code next_cursor} beside {@code data}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiEnvelope<T>(
        T data,
        @JsonProperty("has_more") Boolean hasMore,
        @JsonProperty("next_cursor") String nextCursor,
        @JsonProperty("meta") Map<String, Object> meta) {

    public static <T> ApiEnvelope<T> of(T data, String requestId) {
        return new ApiEnvelope<>(data, null, null, meta(requestId));
    }

    public static <T> ApiEnvelope<List<T>> list(List<T> data, boolean hasMore, String nextCursor, String requestId) {
        return new ApiEnvelope<>(data, hasMore, nextCursor, meta(requestId));
    }

    /** Adds a member to {@code meta}, e.g. how fresh a read is. */
    public ApiEnvelope<T> withMeta(String key, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(meta);
        more.put(key, value);
        return new ApiEnvelope<>(data, hasMore, nextCursor, more);
    }

    private static Map<String, Object> meta(String requestId) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("request_id", requestId);
        return meta;
    }

}
