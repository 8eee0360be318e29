package io.amply.command.note;

import io.amply.command.lookup.OrganisationContext;
import io.amply.command.web.Ids;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
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
        return insert(null, text, organisationIds);
    }

    /**
     * {@link #write} for a note about one donation (a refund's reason): erasing the donor erases it too
     * ({@link #eraseAboutDonations}).
     */
    public String writeAbout(String donationId, String text, String organisationId) {
        return insert(donationId, text, organisationId);
    }

    /** Erases the notes about these donations of the organisation, in the current transaction; returns how many. */
    public int eraseAboutDonations(String organisationId, List<String> donationIds, String erasedBy) {
        if (donationIds.isEmpty()) {
            return 0;
        }
        context.enter(organisationId);
        return jdbc.update(connection -> {
            PreparedStatement update = connection.prepareStatement("""
                    UPDATE ledger_notes SET text = NULL, erased_at = now(), erased_by = ?
                     WHERE organisation_id = ? AND donation_id = ANY (?) AND erased_at IS NULL""");
            update.setString(1, erasedBy);
            update.setString(2, organisationId);
            update.setArray(3, connection.createArrayOf("varchar", donationIds.toArray()));
            return update;
        });
    }

    private String insert(String donationId, String text, String... organisationIds) {
        if (text == null) {
            return null;
        }
        String id = Ids.next("note_");
        for (String organisationId : new TreeSet<>(List.of(organisationIds))) {
            context.enter(organisationId);
            jdbc.update("INSERT INTO ledger_notes (organisation_id, id, text, donation_id) VALUES (?, ?, ?, ?)",
                    organisationId, id, text, donationId);
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
                (rs, row) -> rs.getObject(1, OffsetDateTime.class).toInstant().toString(),
                organisationId, noteId).stream().findFirst();
    }
}
