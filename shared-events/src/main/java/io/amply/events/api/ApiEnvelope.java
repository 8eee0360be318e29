package io.amply.events.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code {"data": …, "meta": {"request_id": "req_…"}}}: the body of every successful request. A
 * list adds {@code has_more} and {@code next_cursor} beside {@code data}, the cursor {@code null} on
 * the last page (ARCHITECTURE §7 names both members of every list).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"data", "has_more", "next_cursor", "meta"})
public record ApiEnvelope<T>(
        T data,
        @JsonProperty("has_more") Boolean hasMore,
        @JsonIgnore String nextCursor,
        @JsonProperty("meta") Map<String, Object> meta) {

    /** A list's cursor, written as {@code null} on its last page; no member at all for a single resource. */
    @JsonProperty("next_cursor")
    @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = NoCursor.class)
    @SuppressWarnings("unused") // read by Jackson
    private Object nextCursorMember() {
        return hasMore == null ? NoCursor.INSTANCE : nextCursor;
    }

    /** What a single resource's envelope has for a cursor: Jackson's filter leaves the member out (and keeps a null). */
    public static final class NoCursor {

        static final NoCursor INSTANCE = new NoCursor();

        @Override
        public boolean equals(Object value) {
            return value instanceof NoCursor;
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }

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
