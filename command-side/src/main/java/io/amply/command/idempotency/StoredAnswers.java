package io.amply.command.idempotency;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * The answers {@code Idempotency-Key} keeps for a day are copies of what was answered, so a donor's erasure reaches
 * them too: a donation's answer shows the reason the organisation gave for its failure ({@code failure_reason}), and
 * a stored answer about an erased donation has it blanked, as the donation itself has. A replay then answers it as
 * {@code null}, as a read of the donation does.
 */
@Component
public class StoredAnswers {

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    StoredAnswers(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * Blanks the failure's reason in every stored answer about one of {@code donationIds}, in the caller's
     * transaction; returns how many answers changed. Reads only the answers that carry a reason at all (every other
     * donation's answer has {@code "failure_reason":null}), each under a lock until the caller commits.
     */
    public int eraseFailureReasons(Collection<String> donationIds) {
        if (donationIds.isEmpty()) {
            return 0;
        }
        Set<String> erased = Set.copyOf(donationIds);
        int changed = 0;
        for (Map<String, Object> row : jdbc.queryForList("""
                SELECT user_id, idempotency_key, response_body FROM idempotency_keys
                 WHERE strpos(response_body, '"failure_reason":"') > 0 FOR UPDATE""")) {
            String body = (String) row.get("response_body");
            String blanked = blanked(body, erased);
            if (!blanked.equals(body)) {
                changed += jdbc.update("UPDATE idempotency_keys SET response_body = ? WHERE user_id = ? AND idempotency_key = ?",
                        blanked, row.get("user_id"), row.get("idempotency_key"));
            }
        }
        return changed;
    }

    /** The answer with its donation's reason as null if it is about one of {@code erased}; otherwise as it was. */
    private String blanked(String body, Set<String> erased) {
        try {
            JsonNode answer = json.readTree(body);
            if (answer.get("data") instanceof ObjectNode data && erased.contains(data.path("id").asText())
                    && data.path("failure_reason").isTextual()) {
                data.putNull("failure_reason");
                return json.writeValueAsString(answer); // members in their order, as the answer was written
            }
            return body;
        } catch (JsonProcessingException e) {
            return body; // not an answer of ours about a donation (every stored answer is JSON we wrote)
        }
    }
}
