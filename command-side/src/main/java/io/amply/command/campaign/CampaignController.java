package io.amply.command.campaign;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.amply.command.OneTransaction;
import io.amply.command.lookup.CampaignLookupsReader;
import io.amply.command.lookup.Lookups;
import io.amply.command.lookup.StatusReasons;
import io.amply.command.security.Caller;
import io.amply.command.security.OrganisationAccess;
import io.amply.command.security.Role;
import io.amply.command.web.ApiException;
import io.amply.command.web.Ids;
import io.amply.command.web.Moments;
import io.amply.command.web.RequestIds;
import io.amply.command.web.Text;
import io.amply.events.Amounts;
import io.amply.events.api.ApiData;
import io.amply.events.api.ApiEnvelope;
import io.amply.events.campaign.ActivateCampaignCommand;
import io.amply.events.campaign.CancelCampaignCommand;
import io.amply.events.campaign.CompleteCampaignCommand;
import io.amply.events.campaign.CreateCampaignCommand;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

@RestController
class CampaignController {


    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record CreateCampaignRequest(
            @NotBlank @Size(max = 20) @Pattern(regexp = Ids.FUND, message = Ids.FUND_MESSAGE) String fundId,
            @NotBlank @Size(max = 200) String name,
            @NotNull @Positive @Max(Amounts.MAX) Long goalAmount,
            @NotNull @Pattern(regexp = "EUR|GBP|USD|CHF", message = "must be one of EUR, GBP, USD, CHF") String currency,
            Instant startsAt,
            Instant endsAt) {
    }

    record CancelRequest(@Size(max = 500) String reason) {
    }

    private final CommandGateway commands;
    private final OrganisationAccess access;
    private final Lookups lookups;
    private final OneTransaction oneTransaction;
    private final CampaignLookupsReader campaigns;
    private final StatusReasons reasons;

    CampaignController(CommandGateway commands, OrganisationAccess access, Lookups lookups, CampaignLookupsReader campaigns,
                       OneTransaction oneTransaction, StatusReasons reasons) {
        this.reasons = reasons;
        this.commands = commands;
        this.access = access;
        this.lookups = lookups;
        this.oneTransaction = oneTransaction;
        this.campaigns = campaigns;
    }

    /** A draft campaign raising {@code goal_amount} into one of the organisation's funds, in that fund's currency. */
    @ResponseStatus(HttpStatus.CREATED)
    @PostMapping("/v1/organisations/{organisationId}/campaigns")
    @ApiData(CampaignAnswers.Campaign.class)
    ResponseEntity<ApiEnvelope<Map<String, Object>>> create(@PathVariable String organisationId,
                                                            @Valid @RequestBody CreateCampaignRequest request,
                                                            Caller caller, HttpServletRequest http) {
        access.require(caller, organisationId, Role.MANAGE);
        String campaignId = Ids.next("camp_");
        // the fund is read under a lock with the command, in one transaction: a fund closed at the
        // same moment either refuses this or sees it as work not finished; and a suspension waits for it
        oneTransaction.run(() -> {
            lookups.notSuspendedHeld(organisationId, "run campaigns");
            Lookups.FundView fund = lookups.openFundHeld(organisationId, request.fundId(), request.currency(),
                    "a campaign raises money in its fund's currency");
            return commands.sendAndWait(new CreateCampaignCommand(campaignId, organisationId, fund.id(),
                    Text.clean("name", request.name()), request.goalAmount(), request.currency(),
                    Moments.of("starts_at", request.startsAt()), Moments.of("ends_at", request.endsAt()), caller.userId()));
        });
        return ResponseEntity.status(HttpStatus.CREATED).body(ApiEnvelope.of(view(organisationId, campaignId),
                RequestIds.current(http)));
    }

    /** The campaign with what it raised so far, as the write model knows it right after a write. */
    @GetMapping("/v1/campaigns/{campaignId}")
    @ApiData(CampaignAnswers.Campaign.class)
    ApiEnvelope<Map<String, Object>> get(@PathVariable String campaignId, Caller caller, HttpServletRequest http) {
        String organisationId = lookups.ownerOf(campaignId, "campaign_id");
        access.require(caller, organisationId, Role.ANY);
        return ApiEnvelope.of(view(organisationId, campaignId), RequestIds.current(http));
    }

    /** draft → active: from now on (and within its dates) donations may be attributed to it. */
    @PostMapping("/v1/campaigns/{campaignId}/activate")
    @ApiData(CampaignAnswers.Campaign.class)
    ApiEnvelope<Map<String, Object>> activate(@PathVariable String campaignId, Caller caller, HttpServletRequest http) {
        String organisationId = manage(campaignId, caller);
        oneTransaction.run(() -> { // through the gate: a suspension waits for it, or it reads the suspension
            lookups.notSuspendedHeld(organisationId, "run campaigns");
            return commands.sendAndWait(new ActivateCampaignCommand(campaignId, Instant.now(), caller.userId()));
        });
        return ApiEnvelope.of(view(organisationId, campaignId), RequestIds.current(http));
    }

    /** active → completed. */
    @PostMapping("/v1/campaigns/{campaignId}/complete")
    @ApiData(CampaignAnswers.Campaign.class)
    ApiEnvelope<Map<String, Object>> complete(@PathVariable String campaignId, Caller caller, HttpServletRequest http) {
        String organisationId = manage(campaignId, caller);
        endDonations(organisationId, new CompleteCampaignCommand(campaignId, caller.userId()), () -> { });
        return ApiEnvelope.of(view(organisationId, campaignId), RequestIds.current(http));
    }

    /**
     * draft or active → cancelled, with an optional {@code reason}: kept beside the campaign (status_reasons),
     * not in its event, which Kafka and the event store keep for good.
     */
    @PostMapping("/v1/campaigns/{campaignId}/cancel")
    @ApiData(CampaignAnswers.Campaign.class)
    ApiEnvelope<Map<String, Object>> cancel(@PathVariable String campaignId,
                                            @Valid @RequestBody(required = false) CancelRequest request,
                                            Caller caller, HttpServletRequest http) {
        String organisationId = manage(campaignId, caller);
        String reason = request == null || request.reason() == null ? null : Text.clean("reason", request.reason());
        endDonations(organisationId, new CancelCampaignCommand(campaignId, caller.userId()),
                () -> reasons.record(organisationId, campaignId, "cancelled", reason, caller.userId()));
        return ApiEnvelope.of(view(organisationId, campaignId), RequestIds.current(http));
    }

    /**
     * Completes or cancels a campaign after the donations to it under way, before any that come later: a
     * donation reads the campaign's status after passing its organisation's gate, in its own transaction,
     * and this closes the gate first, before the campaign's aggregate lock (which a donation received
     * takes after the gate, so the two never wait for each other the other way round). Until 2026-11-28
     * a donation checked a moment before could be recorded after the campaign ended.
     */
    private void endDonations(String organisationId, Object command, Runnable alongside) {
        oneTransaction.run(() -> {
            lookups.closeGate(organisationId);
            alongside.run();
            return commands.sendAndWait(command);
        });
    }

    private String manage(String campaignId, Caller caller) {
        String organisationId = lookups.ownerOf(campaignId, "campaign_id");
        access.require(caller, organisationId, Role.MANAGE);
        campaign(organisationId, campaignId);
        return organisationId;
    }

    private CampaignLookupsReader.CampaignView campaign(String organisationId, String campaignId) {
        return campaigns.campaign(organisationId, campaignId)
                .orElseThrow(() -> ApiException.notFound("campaign_id", "no campaign " + campaignId));
    }

    private Map<String, Object> view(String organisationId, String campaignId) {
        CampaignLookupsReader.CampaignView campaign = campaign(organisationId, campaignId);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", campaign.id());
        view.put("organisation_id", campaign.organisationId());
        view.put("fund_id", campaign.fundId());
        view.put("name", campaign.name());
        view.put("status", campaign.status());
        view.put("currency", campaign.currency());
        view.put("goal_amount", campaign.goalAmount());
        view.put("raised_amount", campaign.raisedAmount());
        view.put("donor_count", campaign.donorCount());
        view.put("goal_reached", campaign.goalReachedAt() != null);
        view.put("goal_reached_at", text(campaign.goalReachedAt()));
        view.put("starts_at", text(campaign.startsAt()));
        view.put("ends_at", text(campaign.endsAt()));
        view.put("created_at", text(campaign.createdAt()));
        view.put("cancellation_reason",
                "cancelled".equals(campaign.status()) ? reasons.of(organisationId, campaignId, "cancelled") : null);
        return view;
    }

    private static String text(Instant at) {
        return at == null ? null : at.toString();
    }
}
