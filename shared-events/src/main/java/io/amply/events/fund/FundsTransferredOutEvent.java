package io.amply.events.fund;

import io.amply.events.OrganisationScoped;
import io.amply.events.Visibility;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * Money left this fund for {@code toFundId}; {@code transferId} is the reference both sides share.
 * {@code publicAfter}: with visibility {@code delayed_public}, when the ledger reveals the content;
 * otherwise null (also in events recorded before the field existed).
 */
@Revision("1")
public record FundsTransferredOutEvent(
        String fundId,
        String organisationId,
        String transferId,
        String toOrganisationId,
        String toFundId,
        long amount,
        String currency,
        String memo,
        Visibility visibility,
        Instant publicAfter,
        String noteId) implements OrganisationScoped {
}
