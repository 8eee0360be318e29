package io.amply.events.organisation;

import io.amply.events.Visibility;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Creates an organisation (status pending) with its General Fund; the creator becomes its owner. */
public record CreateOrganisationCommand(
        @TargetAggregateIdentifier String organisationId,
        String name,
        String country,
        Visibility defaultVisibility,
        boolean acceptsFundraisers,
        String generalFundId,
        String generalFundCurrency,
        String createdBy) {
}
