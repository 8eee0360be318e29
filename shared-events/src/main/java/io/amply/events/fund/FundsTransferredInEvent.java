package io.amply.events.fund;

import io.amply.events.OrganisationScoped;
import io.amply.events.Visibility;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * {@code publicAfter} is the sending half's: with visibility {@code delayed_public}, when the ledger
 * reveals the content; otherwise null (also in events recorded before the field existed).
 */
@Revision("1")
public record FundsTransferredInEvent(
        String fundId,
        String organisationId,
        String transferId,
        String fromOrganisationId,
        String fromFundId,
        long amount,
        String currency,
        String memo,
        Visibility visibility,
        Instant publicAfter,
        String noteId) implements OrganisationScoped {
}
