package io.amply.events.fund;

import io.amply.events.OrganisationScoped;
import io.amply.events.Visibility;
import org.axonframework.serialization.Revision;

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
        Visibility visibility) implements OrganisationScoped {
}
