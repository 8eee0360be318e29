package io.amply.events.business;

import org.axonframework.serialization.Revision;

/** Not {@code OrganisationScoped}: a business belongs to no organisation. */
@Revision("1")
public record BusinessVerifiedEvent(String businessId, String verifiedBy) {
}
