package io.amply.events.fund;

import io.amply.events.OrganisationScoped;
import org.axonframework.serialization.Revision;

/** The fund's balance moved by {@code delta} because of {@code cause} (e.g. donation_received) {@code reference}. */
@Revision("1")
public record FundBalanceAdjustedEvent(String fundId, String organisationId, long delta, String currency, String cause,
                                       String reference, long balance) implements OrganisationScoped {
}
