package io.amply.query.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.amply.query.Replica;
import org.springframework.stereotype.Component;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Puts beside each shown entry the text of the note its metadata names ({@code note_id}, V38): the
 * organisation's free text, kept out of the hashed content so that it can be erased. {@code note} is
 * not part of the entry (ledger-hash-v1): exports and Kafka carry the entry only.
 */
@Component
class EntryNotes {

    private final Replica replica;

    EntryNotes(Replica replica) {
        this.replica = replica;
    }

    /**
     * Adds {@code note} (null once erased) to those of {@code shown} whose content is shown and names a
     * note; one query for all. Run it in the replica transaction that read them, with the organisation's
     * context set: the notes are the organisation's rows.
     */
    List<ObjectNode> add(String organisationId, List<ObjectNode> shown) {
        Set<String> named = new LinkedHashSet<>();
        for (ObjectNode entry : shown) {
            String note = noteOf(entry);
            if (note != null) {
                named.add(note);
            }
        }
        if (named.isEmpty()) {
            return shown;
        }
        ArrayLiteral ids = new ArrayLiteral(named.size() * 24);
        named.forEach(ids::text);
        Map<String, String> texts = new HashMap<>();
        replica.jdbc().query("SELECT id, text FROM ledger_notes WHERE organisation_id = ? AND id = ANY (?::text[])",
                rs -> {
                    texts.put(rs.getString(1), rs.getString(2));
                }, organisationId, ids.close());
        for (ObjectNode entry : shown) {
            String note = noteOf(entry);
            if (note != null) {
                entry.put("note", texts.get(note));
            }
        }
        return shown;
    }

    private static String noteOf(ObjectNode entry) {
        JsonNode note = entry.path("metadata").path("note_id");
        return note.isTextual() ? note.asText() : null;
    }
}
