package io.amply.events.fund;

import io.amply.events.OrganisationScoped;
import org.axonframework.serialization.Revision;

@Revision("1")
public record FundClosedEvent(String fundId, String organisationId, String closedBy) implements OrganisationScoped {
}
