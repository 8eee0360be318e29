package io.amply.events.fund;

import io.amply.events.OrganisationScoped;
import io.amply.events.Visibility;
import org.axonframework.serialization.Revision;

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
        Visibility visibility) implements OrganisationScoped {
}
