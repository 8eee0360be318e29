package io.amply.events.fund;

import io.amply.events.OrganisationScoped;
import io.amply.events.Visibility;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * {@code publicAfter}: with visibility {@code delayed_public}, when the ledger reveals the content;
 * otherwise null (also in events recorded before the field existed). {@code projectId}: the project
 * of the expense corrected, so that its spending follows; null otherwise. {@code correctsEntryType}:
 * the corrected entry's ledger type ({@code expense} or {@code fee}), so that figures of spending and
 * fees follow. Both null in events recorded before 2026-11-27.
 */
@Revision("1")
public record CorrectionRecordedEvent(
        String fundId,
        String organisationId,
        String correctionId,
        String kind,
        String correctsEntryId,
        long amount,
        String currency,
        String reason,
        Visibility visibility,
        Instant publicAfter,
        String projectId,
        String correctsEntryType,
        String noteId) implements OrganisationScoped {
}
