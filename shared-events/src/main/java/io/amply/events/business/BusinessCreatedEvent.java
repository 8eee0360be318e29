package io.amply.events.business;

import org.axonframework.serialization.Revision;

/**
 * A business was registered, pending verification. Businesses give to many organisations, so
 * this event belongs to none (it is not {@code OrganisationScoped}); no ledger effect.
 */
@Revision("1")
public record BusinessCreatedEvent(String businessId, String name, String country, String managerUserId) {
}
