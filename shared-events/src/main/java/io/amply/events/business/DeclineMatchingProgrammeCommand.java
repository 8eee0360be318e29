package io.amply.events.business;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The organisation turns a programme down, before or after accepting it: it matches none of the
 * organisation's donations from now on (matches already committed stay, as money that moved does).
 */
public record DeclineMatchingProgrammeCommand(
        @TargetAggregateIdentifier String businessId,
        String programmeId,
        String organisationId,
        String declinedBy) {
}
