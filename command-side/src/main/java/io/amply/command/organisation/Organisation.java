package io.amply.command.organisation;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.amply.command.RuleViolation;
import io.amply.events.organisation.CreateOrganisationCommand;
import io.amply.events.organisation.GrantMembershipCommand;
import io.amply.events.organisation.LedgerCheckpointRequestedEvent;
import io.amply.events.organisation.RequestLedgerCheckpointCommand;
import io.amply.events.organisation.MembershipGrantedEvent;
import io.amply.events.organisation.MembershipRevokedEvent;
import io.amply.events.organisation.OrganisationCreatedEvent;
import io.amply.events.organisation.OrganisationProfileUpdatedEvent;
import io.amply.events.organisation.OrganisationReinstatedEvent;
import io.amply.events.organisation.OrganisationSuspendedEvent;
import io.amply.events.organisation.OrganisationVerifiedEvent;
import io.amply.events.organisation.ReinstateOrganisationCommand;
import io.amply.events.organisation.RevokeMembershipCommand;
import io.amply.events.organisation.SuspendOrganisationCommand;
import io.amply.events.organisation.UpdateOrganisationProfileCommand;
import io.amply.events.organisation.VerifyOrganisationCommand;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.serialization.Revision;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/** An organisation: its status (pending → verified, suspended and back) and who has which role. */
// fields, not getters, in its snapshots, and snapshots of this revision only: see Fund
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
@Revision("1")
@Aggregate(snapshotTriggerDefinition = "organisationSnapshotTrigger", cache = "aggregateCache")
class Organisation {

    static final Set<String> CURRENCIES = Set.of("EUR", "GBP", "USD", "CHF");
    static final Set<String> ROLES = Set.of("owner", "admin", "finance", "content", "viewer", "auditor");
    static final Set<String> LEVELS = Set.of("basic", "standard", "enhanced");

    @AggregateIdentifier
    private String organisationId;
    private String status;
    private String statusBeforeSuspension;
    private final Map<String, String> roles = new HashMap<>();

    Organisation() {
        // for Axon
    }

    @CommandHandler
    Organisation(CreateOrganisationCommand command) {
        if (!CURRENCIES.contains(command.generalFundCurrency())) {
            throw RuleViolation.invalid("currency", "a fund's currency is one of " + CURRENCIES);
        }
        apply(new OrganisationCreatedEvent(command.organisationId(), command.name(), command.country(),
                command.defaultVisibility(), command.acceptsFundraisers(), command.generalFundId(),
                command.generalFundCurrency(), command.createdBy()));
        apply(new MembershipGrantedEvent(command.organisationId(), command.createdBy(), "owner", command.createdBy()));
    }

    @CommandHandler
    void handle(UpdateOrganisationProfileCommand command) {
        apply(new OrganisationProfileUpdatedEvent(organisationId, command.name(), command.country(),
                command.defaultVisibility(), command.acceptsFundraisers(), command.updatedBy()));
    }

    @CommandHandler
    void handle(VerifyOrganisationCommand command) {
        if (!LEVELS.contains(command.level())) {
            throw RuleViolation.invalid("level", "level is one of " + LEVELS);
        }
        if ("suspended".equals(status)) {
            throw RuleViolation.conflict("organisation " + organisationId + " is suspended; reinstate it first");
        }
        apply(new OrganisationVerifiedEvent(organisationId, command.level(), command.verifiedBy()));
    }

    @CommandHandler
    void handle(SuspendOrganisationCommand command) {
        if ("suspended".equals(status)) {
            throw RuleViolation.conflict("organisation " + organisationId + " is already suspended");
        }
        apply(new OrganisationSuspendedEvent(organisationId, command.reason(), command.suspendedBy()));
    }

    @CommandHandler
    void handle(ReinstateOrganisationCommand command) {
        if (!"suspended".equals(status)) {
            throw RuleViolation.conflict("organisation " + organisationId + " is not suspended");
        }
        apply(new OrganisationReinstatedEvent(organisationId, statusBeforeSuspension, command.reinstatedBy()));
    }

    @CommandHandler
    void handle(GrantMembershipCommand command) {
        if (!ROLES.contains(command.role())) {
            throw RuleViolation.invalid("role", "role is one of " + ROLES);
        }
        if ("owner".equals(roles.get(command.userId())) && !"owner".equals(command.role()) && owners() == 1) {
            throw RuleViolation.conflict("an organisation keeps at least one owner");
        }
        apply(new MembershipGrantedEvent(organisationId, command.userId(), command.role(), command.grantedBy()));
    }

    @CommandHandler
    void handle(RevokeMembershipCommand command) {
        if (!roles.containsKey(command.userId())) {
            throw RuleViolation.invalid("user_id", "user " + command.userId() + " has no role in " + organisationId);
        }
        if ("owner".equals(roles.get(command.userId())) && owners() == 1) {
            throw RuleViolation.conflict("an organisation keeps at least one owner");
        }
        apply(new MembershipRevokedEvent(organisationId, command.userId(), command.revokedBy()));
    }

    @CommandHandler
    void handle(RequestLedgerCheckpointCommand command) {
        apply(new LedgerCheckpointRequestedEvent(organisationId, command.requestedBy()));
    }

    private long owners() {
        return roles.values().stream().filter("owner"::equals).count();
    }

    @EventSourcingHandler
    void on(OrganisationCreatedEvent event) {
        organisationId = event.organisationId();
        status = "pending";
    }

    @EventSourcingHandler
    void on(OrganisationVerifiedEvent event) {
        status = "verified";
    }

    @EventSourcingHandler
    void on(OrganisationSuspendedEvent event) {
        statusBeforeSuspension = status;
        status = "suspended";
    }

    @EventSourcingHandler
    void on(OrganisationReinstatedEvent event) {
        status = event.status();
    }

    @EventSourcingHandler
    void on(MembershipGrantedEvent event) {
        roles.put(event.userId(), event.role());
    }

    @EventSourcingHandler
    void on(MembershipRevokedEvent event) {
        roles.remove(event.userId());
    }
}
