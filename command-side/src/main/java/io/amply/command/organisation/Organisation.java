package io.amply.command.organisation;

import io.amply.command.RuleViolation;
import io.amply.events.organisation.CreateOrganisationCommand;
import io.amply.events.organisation.FundCreatedEvent;
import io.amply.events.organisation.OrganisationCreatedEvent;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/** An organisation with its funds. */
@Aggregate
class Organisation {

    static final Set<String> CURRENCIES = Set.of("EUR", "GBP", "USD", "CHF");

    @AggregateIdentifier
    private String organisationId;
    private String status;
    private final Map<String, String> fundCurrencies = new HashMap<>();

    Organisation() {
        // for Axon
    }

    @CommandHandler
    Organisation(CreateOrganisationCommand command) {
        if (!CURRENCIES.contains(command.generalFundCurrency())) {
            throw RuleViolation.invalid("currency", "a fund's currency is one of " + CURRENCIES);
        }
        apply(new OrganisationCreatedEvent(command.organisationId(), command.name(), command.country(),
                command.defaultVisibility(), command.createdBy()));
        apply(new FundCreatedEvent(command.generalFundId(), command.organisationId(), "General Fund", "general",
                command.generalFundCurrency()));
    }

    @EventSourcingHandler
    void on(OrganisationCreatedEvent event) {
        organisationId = event.organisationId();
        status = "pending";
    }

    @EventSourcingHandler
    void on(FundCreatedEvent event) {
        fundCurrencies.put(event.fundId(), event.currency());
    }
}
