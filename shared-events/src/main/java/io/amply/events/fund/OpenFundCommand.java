package io.amply.events.fund;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record OpenFundCommand(
        @TargetAggregateIdentifier String fundId,
        String organisationId,
        String name,
        String type,
        String currency,
        FundRestrictions restrictions,
        String createdBy) {
}
