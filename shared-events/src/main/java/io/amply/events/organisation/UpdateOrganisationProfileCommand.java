package io.amply.events.organisation;

import io.amply.events.Visibility;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Changes the organisation's public profile and settings: each field that is null stays as it is.
 * The organisation merges under its own lock, so two updates of different fields both stand.
 */
public record UpdateOrganisationProfileCommand(
        @TargetAggregateIdentifier String organisationId,
        String name,
        String country,
        Visibility defaultVisibility,
        Boolean acceptsFundraisers,
        String updatedBy) {
}
