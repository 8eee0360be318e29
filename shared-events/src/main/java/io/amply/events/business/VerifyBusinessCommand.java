package io.amply.events.business;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Platform staff checked the business; only a verified business may donate or run matching programmes. */
public record VerifyBusinessCommand(@TargetAggregateIdentifier String businessId, String verifiedBy) {
}
