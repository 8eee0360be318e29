package io.amply.events.fund;

import io.amply.events.OrganisationScoped;
import io.amply.events.Visibility;
import org.axonframework.serialization.Revision;

/** Money left this fund for {@code toFundId}; {@code transferId} is the reference both sides share. */
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
        Visibility visibility) implements OrganisationScoped {
}
