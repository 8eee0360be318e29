package io.amply.events.fund;

import io.amply.events.OrganisationScoped;
import io.amply.events.Visibility;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * {@code publicAfter}: with visibility {@code delayed_public}, when the ledger reveals the content;
 * otherwise null (also in events recorded before the field existed).
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
        Instant publicAfter) implements OrganisationScoped {
}
