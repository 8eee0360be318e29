package io.amply.events.organisation;

import io.amply.events.Visibility;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Replaces the organisation's public profile and settings. */
public record UpdateOrganisationProfileCommand(
        @TargetAggregateIdentifier String organisationId,
        String name,
        String country,
        Visibility defaultVisibility,
        boolean acceptsFundraisers,
        String updatedBy) {
}
