package io.amply.command.organisation;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.amply.command.RuleViolation;
import io.amply.events.Visibility;
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

/**
 * An organisation: its status (pending → verified at a level, suspended and back), its profile and
 * settings, and who has which role. Rules about who may change a membership are kept here too,
 * under the organisation's lock: a check against the memberships table before the command could
 * be overtaken by a concurrent change of the same membership.
 */
// fields, not getters, in its snapshots, and snapshots of this revision only: see Fund
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
// 2: the profile and the verification level are part of the state
@Revision("2")
@Aggregate(snapshotTriggerDefinition = "organisationSnapshotTrigger", cache = "aggregateCache")
class Organisation {

    static final Set<String> CURRENCIES = Set.of("EUR", "GBP", "USD", "CHF");
    static final Set<String> ROLES = Set.of("owner", "admin", "finance", "content", "viewer", "auditor");
    static final Set<String> LEVELS = Set.of("basic", "standard", "enhanced");

    @AggregateIdentifier
    private String organisationId;
    private String status;
    private String statusBeforeSuspension;
    private String verificationLevel;
    private String name;
    private String country;
    private Visibility defaultVisibility;
    private boolean acceptsFundraisers;
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
        apply(new OrganisationProfileUpdatedEvent(organisationId,
                command.name() != null ? command.name() : name,
                command.country() != null ? command.country() : country,
                command.defaultVisibility() != null ? command.defaultVisibility() : defaultVisibility,
                command.acceptsFundraisers() != null ? command.acceptsFundraisers() : acceptsFundraisers,
                command.updatedBy()));
    }

    @CommandHandler
    void handle(VerifyOrganisationCommand command) {
        if (!LEVELS.contains(command.level())) {
            throw RuleViolation.invalid("level", "level is one of " + LEVELS);
        }
        if ("suspended".equals(status)) {
            throw RuleViolation.conflict("organisation " + organisationId + " is suspended; reinstate it first");
        }
        if ("verified".equals(status) && command.level().equals(verificationLevel)) {
            throw RuleViolation.conflict("organisation " + organisationId + " is already verified at level " + verificationLevel);
        }
        apply(new OrganisationVerifiedEvent(organisationId, command.level(), command.verifiedBy()));
    }

    @CommandHandler
    void handle(SuspendOrganisationCommand command) {
        if ("suspended".equals(status)) {
            throw RuleViolation.conflict("organisation " + organisationId + " is already suspended");
        }
        apply(new OrganisationSuspendedEvent(organisationId, null, command.suspendedBy())); // the reason is kept beside it
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
        if (!managesMembers(command.grantedBy(), command.byPlatformStaff())) {
            throw RuleViolation.forbidden("only an owner or an admin of " + organisationId + " changes its memberships");
        }
        if (("owner".equals(command.role()) || "owner".equals(roles.get(command.userId())))
                && !actsAsOwner(command.grantedBy(), command.byPlatformStaff())) {
            throw RuleViolation.forbidden("only an owner makes an owner or changes an owner's membership");
        }
        if ("owner".equals(roles.get(command.userId())) && !"owner".equals(command.role()) && owners() == 1) {
            throw RuleViolation.conflict("an organisation keeps at least one owner");
        }
        apply(new MembershipGrantedEvent(organisationId, command.userId(), command.role(), command.grantedBy()));
    }

    @CommandHandler
    void handle(RevokeMembershipCommand command) {
        if (!managesMembers(command.revokedBy(), command.byPlatformStaff())) { // first: it tells nothing of who is a member
            throw RuleViolation.forbidden("only an owner or an admin of " + organisationId + " changes its memberships");
        }
        if (!roles.containsKey(command.userId())) {
            // the path's membership does not exist: not_found, as any other resource a path names
            throw RuleViolation.notFound("user_id", "user " + command.userId() + " has no role in " + organisationId);
        }
        if ("owner".equals(roles.get(command.userId())) && !actsAsOwner(command.revokedBy(), command.byPlatformStaff())) {
            throw RuleViolation.forbidden("only an owner removes an owner");
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

    /**
     * Whether the user may change memberships, by the roles as they are now: the controller's check
     * against the memberships table may have been overtaken by the user's own demotion or removal.
     */
    private boolean managesMembers(String userId, boolean platformStaff) {
        return platformStaff || "owner".equals(roles.get(userId)) || "admin".equals(roles.get(userId));
    }

    /**
     * Only an owner (or Amply's staff) makes owners and changes theirs: an admin could otherwise
     * demote every owner and be left the organisation's most powerful member.
     */
    private boolean actsAsOwner(String userId, boolean platformStaff) {
        return platformStaff || "owner".equals(roles.get(userId));
    }

    private long owners() {
        return roles.values().stream().filter("owner"::equals).count();
    }

    @EventSourcingHandler
    void on(OrganisationCreatedEvent event) {
        organisationId = event.organisationId();
        status = "pending";
        name = event.name();
        country = event.country();
        defaultVisibility = event.defaultVisibility();
        acceptsFundraisers = event.acceptsFundraisers();
    }

    @EventSourcingHandler
    void on(OrganisationProfileUpdatedEvent event) {
        name = event.name();
        country = event.country();
        defaultVisibility = event.defaultVisibility();
        acceptsFundraisers = event.acceptsFundraisers();
    }

    @EventSourcingHandler
    void on(OrganisationVerifiedEvent event) {
        status = "verified";
        verificationLevel = event.level();
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
