package io.amply.events.business;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Registers a business (status pending) that donates to and matches for organisations; {@code managerUserId} runs it. */
public record CreateBusinessCommand(
        @TargetAggregateIdentifier String businessId,
        String name,
        String country,
        String managerUserId) {
}
