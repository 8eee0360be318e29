package io.amply.command.business;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.amply.command.RuleViolation;
import io.amply.events.Amounts;
import io.amply.events.business.AcceptMatchingProgrammeCommand;
import io.amply.events.business.ApplyMatchCommand;
import io.amply.events.business.BusinessCreatedEvent;
import io.amply.events.business.BusinessVerifiedEvent;
import io.amply.events.business.CreateBusinessCommand;
import io.amply.events.business.DeclineMatchingProgrammeCommand;
import io.amply.events.business.MatchCommittedEvent;
import io.amply.events.business.MatchingProgrammeAcceptedEvent;
import io.amply.events.business.MatchingProgrammeDeclinedEvent;
import io.amply.events.business.MatchingProgrammeStartedEvent;
import io.amply.events.business.StartMatchingProgrammeCommand;
import io.amply.events.business.VerifyBusinessCommand;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.serialization.Revision;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A business (pending → verified) run by one manager, and its matching programmes: each matches
 * donations to one organisation (or one of its campaigns) at a ratio, never beyond its cap, once
 * that organisation accepted it (proposed → active, and declined from either: an organisation
 * decides whose money arrives in its name, and a programme learns the amounts it matches).
 *
 * <p>A business lives as long as its programmes match (one event per match), so it is snapshotted
 * like a fund, and its state does not grow with the matches: it keeps what each cap has used, not
 * which donations were matched. A donation is offered once, when it is received, and that happens
 * once per donation (the Donation aggregate's rule).
 */
// fields, not getters, in its snapshots, and snapshots of this revision only: see Fund
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
// 2: each programme's status is part of the state (a snapshot without it would let a declined programme match)
@Revision("2")
@Aggregate(snapshotTriggerDefinition = "businessSnapshotTrigger", cache = "aggregateCache")
class Business {

    static final Set<String> CURRENCIES = Set.of("EUR", "GBP", "USD", "CHF");
    /** 1% (1:100) up to 1000% (10:1). */
    static final int MIN_RATIO_PERCENT = 1;
    static final int MAX_RATIO_PERCENT = 1000;

    /** Whether a programme matches: only once its organisation accepted it, and never after it declined. */
    enum Status { proposed, active, declined }

    /** One matching programme's terms and status. */
    private record Programme(String organisationId, String campaignId, int ratioPercent, long capAmount, String currency,
                             Instant startsAt, Instant endsAt, Status status) {

        Programme with(Status next) {
            return new Programme(organisationId, campaignId, ratioPercent, capAmount, currency, startsAt, endsAt, next);
        }

        /** Whether the donation offered falls in the programme's scope: organisation, campaign, currency, dates. */
        boolean covers(ApplyMatchCommand offer) {
            return organisationId.equals(offer.organisationId())
                    && (campaignId == null || campaignId.equals(offer.campaignId()))
                    && currency.equals(offer.currency())
                    && (startsAt == null || offer.donatedAt() == null || !offer.donatedAt().isBefore(startsAt))
                    && (endsAt == null || offer.donatedAt() == null || offer.donatedAt().isBefore(endsAt));
        }
    }

    @AggregateIdentifier
    private String businessId;
    /** Who runs the business; the HTTP layer authorises against the businesses lookup table, which mirrors it. */
    private String managerUserId;
    private boolean verified;
    private final Map<String, Programme> programmes = new HashMap<>();
    /** How much of each programme's cap is used. */
    private final Map<String, Long> usedAmounts = new HashMap<>();

    Business() {
        // for Axon
    }

    @CommandHandler
    Business(CreateBusinessCommand command) {
        if (command.country() == null || !command.country().matches("[A-Z]{2}")) {
            throw RuleViolation.invalid("country", "country is an ISO 3166-1 alpha-2 code, e.g. GB");
        }
        if (command.managerUserId() == null) {
            throw RuleViolation.invalid("manager_user_id", "a business has a manager");
        }
        apply(new BusinessCreatedEvent(command.businessId(), command.name(), command.country(), command.managerUserId()));
    }

    @CommandHandler
    void handle(VerifyBusinessCommand command) {
        if (verified) {
            throw RuleViolation.conflict("business " + businessId + " is already verified");
        }
        apply(new BusinessVerifiedEvent(businessId, command.verifiedBy()));
    }

    @CommandHandler
    void handle(StartMatchingProgrammeCommand command) {
        if (!verified) {
            throw RuleViolation.conflict("business " + businessId + " is not verified; only a verified business may match donations");
        }
        if (programmes.containsKey(command.programmeId())) {
            throw RuleViolation.conflict("business " + businessId + " already runs programme " + command.programmeId());
        }
        if (command.ratioPercent() < MIN_RATIO_PERCENT || command.ratioPercent() > MAX_RATIO_PERCENT) {
            throw RuleViolation.invalid("ratio_percent", "ratio_percent is from " + MIN_RATIO_PERCENT + " to "
                    + MAX_RATIO_PERCENT + " (100 matches 1:1)");
        }
        if (command.capAmount() <= 0 || command.capAmount() > Amounts.MAX) {
            throw RuleViolation.invalid("cap_amount", "cap_amount must be a positive number of minor units up to 2^53 - 1");
        }
        if (!CURRENCIES.contains(command.currency())) {
            throw RuleViolation.invalid("currency", "currency is one of " + CURRENCIES);
        }
        if (command.startsAt() != null && command.endsAt() != null && !command.endsAt().isAfter(command.startsAt())) {
            throw RuleViolation.invalid("ends_at", "the programme must end after it starts");
        }
        apply(new MatchingProgrammeStartedEvent(businessId, command.programmeId(), command.organisationId(),
                command.campaignId(), command.ratioPercent(), command.capAmount(), command.currency(),
                command.startsAt(), command.endsAt(), command.startedBy(), true));
    }

    @CommandHandler
    void handle(AcceptMatchingProgrammeCommand command) {
        Programme programme = programmeOf(command.programmeId(), command.organisationId());
        if (programme.status() != Status.proposed) {
            throw RuleViolation.conflict("programme " + command.programmeId() + " is " + programme.status()
                    + "; only a proposed programme can be accepted");
        }
        apply(new MatchingProgrammeAcceptedEvent(businessId, command.programmeId(), command.organisationId(),
                command.acceptedBy()));
    }

    @CommandHandler
    void handle(DeclineMatchingProgrammeCommand command) {
        Programme programme = programmeOf(command.programmeId(), command.organisationId());
        if (programme.status() == Status.declined) {
            throw RuleViolation.conflict("programme " + command.programmeId() + " is already declined");
        }
        apply(new MatchingProgrammeDeclinedEvent(businessId, command.programmeId(), command.organisationId(),
                command.declinedBy()));
    }

    /** The programme, if this business runs it for that organisation: an organisation decides only on its own. */
    private Programme programmeOf(String programmeId, String organisationId) {
        Programme programme = programmes.get(programmeId);
        if (programme == null || !programme.organisationId().equals(organisationId)) {
            throw RuleViolation.invalid("programme_id", "business " + businessId + " runs no programme " + programmeId
                    + " for organisation " + organisationId);
        }
        return programme;
    }

    /**
     * Matches min(amount × ratio / 100, what is left of the cap), rounded down to a minor unit.
     * Runs in the transaction of the donation it matches, so a donation the programme does not
     * cover (another organisation or campaign, another currency, outside its dates) or a used-up
     * cap simply makes no match instead of a refusal, which would undo the donation. Programmes are
     * offered from the programmes stored, so one this copy of the business does not know was started
     * on another command node after this node cached the business: the copy is stale, and the
     * donation is tried again on the stored events (a ConcurrencyException, as a colliding append
     * would be), not refused as the client's mistake.
     */
    @CommandHandler
    void handle(ApplyMatchCommand command) {
        Programme programme = programmes.get(command.programmeId());
        if (programme == null) {
            throw new ConcurrencyException("this copy of business " + businessId + " does not know programme "
                    + command.programmeId() + ", which is stored: it is older than the programme");
        }
        if (programme.status() == Status.proposed) {
            // offered only once the stored programme is active: this copy is older than the acceptance
            throw new ConcurrencyException("this copy of business " + businessId + " has programme "
                    + command.programmeId() + " still proposed, which is stored as accepted");
        }
        if (programme.status() == Status.declined || command.donationAmount() <= 0 || !programme.covers(command)) {
            return;
        }
        long used = usedAmounts.getOrDefault(command.programmeId(), 0L);
        long match = Math.min(Math.multiplyExact(command.donationAmount(), (long) programme.ratioPercent()) / 100,
                programme.capAmount() - used);
        if (match <= 0) {
            return;
        }
        apply(new MatchCommittedEvent(businessId, command.programmeId(), command.donationId(), command.matchDonationId(),
                match, command.organisationId(), command.fundId(), command.campaignId(), command.currency(),
                command.visibility(), used + match, command.publicAfter()));
    }

    @EventSourcingHandler
    void on(BusinessCreatedEvent event) {
        businessId = event.businessId();
        managerUserId = event.managerUserId();
    }

    @EventSourcingHandler
    void on(BusinessVerifiedEvent event) {
        verified = true;
    }

    @EventSourcingHandler
    void on(MatchingProgrammeStartedEvent event) {
        // programmes started before consent existed (awaitsConsent null) matched at once, and still do
        programmes.put(event.programmeId(), new Programme(event.organisationId(), event.campaignId(),
                event.ratioPercent(), event.capAmount(), event.currency(), event.startsAt(), event.endsAt(),
                Boolean.TRUE.equals(event.awaitsConsent()) ? Status.proposed : Status.active));
        usedAmounts.put(event.programmeId(), 0L);
    }

    @EventSourcingHandler
    void on(MatchingProgrammeAcceptedEvent event) {
        programmes.computeIfPresent(event.programmeId(), (id, programme) -> programme.with(Status.active));
    }

    @EventSourcingHandler
    void on(MatchingProgrammeDeclinedEvent event) {
        programmes.computeIfPresent(event.programmeId(), (id, programme) -> programme.with(Status.declined));
    }

    @EventSourcingHandler
    void on(MatchCommittedEvent event) {
        usedAmounts.put(event.programmeId(), event.usedAmount());
    }
}
