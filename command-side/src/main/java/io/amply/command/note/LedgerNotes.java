package io.amply.command.note;

import io.amply.command.lookup.OrganisationContext;
import io.amply.command.web.Ids;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The free text of a money movement (a refund's or a correction's reason, a transfer's memo, an
 * expense's recipient reference), kept in {@code ledger_notes} and named by the event and the ledger
 * entry only by its id. The hashes cover an entry's metadata for good, so text there could never be
 * erased; a note can be, and the entry still verifies.
 */
@Component
public class LedgerNotes {

    private final JdbcTemplate jdbc;
    private final OrganisationContext context;

    LedgerNotes(JdbcTemplate jdbc, OrganisationContext context) {
        this.jdbc = jdbc;
        this.context = context;
    }

    /**
     * Stores {@code text} for each organisation whose ledger will name it, in the current transaction:
     * run it in the movement's own, so that a refused movement leaves no note. Returns the note's id,
     * or null for no text.
     */
    public String write(String text, String... organisationIds) {
        if (text == null) {
            return null;
        }
        String id = Ids.next("note_");
        for (String organisationId : new TreeSet<>(List.of(organisationIds))) {
            context.enter(organisationId);
            jdbc.update("INSERT INTO ledger_notes (organisation_id, id, text) VALUES (?, ?, ?)", organisationId, id, text);
        }
        return id;
    }

    /** When the note was erased, the first time: erasing it again changes nothing. Empty: no such note. */
    Optional<String> erase(String organisationId, String noteId, String erasedBy) {
        context.enter(organisationId);
        jdbc.update("""
                UPDATE ledger_notes SET text = NULL, erased_at = now(), erased_by = ?
                 WHERE organisation_id = ? AND id = ? AND erased_at IS NULL""", erasedBy, organisationId, noteId);
        return jdbc.query("SELECT erased_at FROM ledger_notes WHERE organisation_id = ? AND id = ?",
                (rs, row) -> rs.getObject(1, java.time.OffsetDateTime.class).toInstant().toString(),
                organisationId, noteId).stream().findFirst();
    }
}
