package io.amply.events.business;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The organisation agrees to a programme a business proposed to it: from now on the programme
 * matches the organisation's donations in its scope. Only a programme still awaiting consent.
 */
public record AcceptMatchingProgrammeCommand(
        @TargetAggregateIdentifier String businessId,
        String programmeId,
        String organisationId,
        String acceptedBy) {
}
