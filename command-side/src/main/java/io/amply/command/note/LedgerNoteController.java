package io.amply.command.note;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.amply.command.lookup.Lookups;
import io.amply.command.security.Caller;
import io.amply.command.security.OrganisationAccess;
import io.amply.command.security.Role;
import io.amply.command.web.ApiException;
import io.amply.command.web.Ids;
import io.amply.command.web.RequestIds;
import io.amply.events.api.ApiData;
import io.amply.events.api.ApiEnvelope;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Erases a note's text: the ledger entry that names it keeps its hashes and still verifies, and shows
 * {@code "note": null} from then on. For a person who asks to be forgotten, or a text that should
 * never have been written.
 */
@RestController
class LedgerNoteController {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "LedgerNoteErased", description = "A note whose text is gone for good")
    record Erased(@Schema(description = "`note_…`") String id, String organisationId,
                  @Schema(description = "when it was first erased, ISO-8601") String erasedAt) {
    }

    private final LedgerNotes notes;
    private final OrganisationAccess access;
    private final Lookups lookups;
    private final TransactionTemplate transactions;

    LedgerNoteController(LedgerNotes notes, OrganisationAccess access, Lookups lookups, TransactionTemplate transactions) {
        this.notes = notes;
        this.access = access;
        this.lookups = lookups;
        this.transactions = transactions;
    }

    @DeleteMapping("/v1/organisations/{organisationId}/notes/{noteId}")
    @ApiData(Erased.class)
    ApiEnvelope<Map<String, Object>> erase(@PathVariable String organisationId, @PathVariable String noteId,
                                           Caller caller, HttpServletRequest http) {
        // those who write the notes erase them (an organisation's copy only: another's ledger is theirs)
        access.require(caller, organisationId, Role.MONEY);
        lookups.organisation(organisationId);
        if (!Ids.looksLike("note_", noteId)) {
            throw ApiException.notFound("note_id", "no such note: " + noteId);
        }
        String erasedAt = transactions.execute(status -> notes.erase(organisationId, noteId, caller.userId()))
                .orElseThrow(() -> ApiException.notFound("note_id", "organisation " + organisationId + " has no note " + noteId));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", noteId);
        data.put("organisation_id", organisationId);
        data.put("erased_at", erasedAt);
        return ApiEnvelope.of(data, RequestIds.current(http));
    }
}
