package io.amply.command.donation;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.amply.command.idempotency.StoredAnswers;
import io.amply.command.lookup.Lookups;
import io.amply.command.note.LedgerNotes;
import io.amply.command.security.Caller;
import io.amply.command.security.OrganisationAccess;
import io.amply.command.security.Role;
import io.amply.command.web.RequestIds;
import io.amply.command.web.Text;
import io.amply.events.api.ApiData;
import io.amply.events.api.ApiEnvelope;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A donor's right to erasure: their name and e-mail address go from every donation of the
 * organisation, and so does the text of every note about those donations (a refund's reason recorded
 * since V39) and a failure's reason, on the donation and in the answers an {@code Idempotency-Key} keeps. Nothing else changes: a donor's identity was never in an event, nor is a note's text, so
 * the event store, the ledger and its hashes, the checkpoints and Kafka hold nothing of them (a refund's
 * reason recorded before V38 is in its event and its entry for good).
 */
@RestController
class DonorErasureController {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ErasureRequest(@NotBlank @Email @Size(max = 320) String email) {
    }

    private final OrganisationAccess access;
    private final Lookups lookups;
    private final LedgerNotes notes;
    private final StoredAnswers storedAnswers;
    private final TransactionTemplate transactions;

    DonorErasureController(OrganisationAccess access, Lookups lookups, LedgerNotes notes, StoredAnswers storedAnswers,
                           TransactionTemplate transactions) {
        this.access = access;
        this.lookups = lookups;
        this.notes = notes;
        this.storedAnswers = storedAnswers;
        this.transactions = transactions;
    }

    /**
     * Answers how many donations lost their donor, and how many notes about them (refunds' reasons) lost their
     * text, all in one transaction; the address is not repeated (an Idempotency-Key keeps the answer a day).
     */
    @PostMapping("/v1/organisations/{organisationId}/donor-erasures")
    @ApiData(DonationAnswers.DonorErasure.class)
    ApiEnvelope<Map<String, Object>> erase(@PathVariable String organisationId, @Valid @RequestBody ErasureRequest request,
                                           Caller caller, HttpServletRequest http) {
        access.require(caller, organisationId, Role.MANAGE);
        lookups.organisation(organisationId);
        String email = Text.clean("email", request.email());
        Map<String, Object> erased = transactions.execute(status -> {
            List<String> donations = lookups.eraseDonor(organisationId, email);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("organisation_id", organisationId);
            answer.put("donations_erased", (long) donations.size());
            answer.put("notes_erased", (long) notes.eraseAboutDonations(organisationId, donations, caller.userId()));
            // and the copies of the donations' answers an Idempotency-Key keeps a day, which show a failure's reason
            storedAnswers.eraseFailureReasons(donations);
            return answer;
        });
        return ApiEnvelope.of(erased, RequestIds.current(http));
    }
}
