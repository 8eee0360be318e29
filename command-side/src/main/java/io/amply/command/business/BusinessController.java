package io.amply.command.business;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.amply.command.lookup.BusinessLookupsReader;
import io.amply.command.lookup.CampaignLookupsReader;
import io.amply.command.lookup.Lookups;
import io.amply.command.security.Caller;
import io.amply.command.security.OrganisationAccess;
import io.amply.command.security.Role;
import io.amply.command.web.ApiException;
import io.amply.command.web.IdPages;
import io.amply.command.web.Country;
import io.amply.command.web.Ids;
import io.amply.command.web.Moments;
import io.amply.command.web.RequestIds;
import io.amply.command.web.Text;
import io.amply.events.Amounts;
import io.amply.events.api.ApiData;
import io.amply.events.api.ApiEnvelope;
import io.amply.events.business.CreateBusinessCommand;
import io.amply.events.business.StartMatchingProgrammeCommand;
import io.amply.events.business.VerifyBusinessCommand;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
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
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/** Businesses (global, run by one manager) and their matching programmes. */
@RestController
@RequestMapping("/v1/businesses")
class BusinessController {


    record CreateBusinessRequest(
            @NotBlank @Size(max = 200) String name,
            @NotBlank @Pattern(regexp = "[A-Z]{2}", message = "must be an ISO 3166-1 alpha-2 code, e.g. GB") @Country String country) {
    }

    /** {@code campaign_id} absent: every donation to the organisation in {@code currency} is matched. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ProgrammeRequest(
            @NotBlank @Size(max = 20) @Pattern(regexp = Ids.ORGANISATION, message = Ids.ORGANISATION_MESSAGE) String organisationId,
            @Size(max = 20) @Pattern(regexp = Ids.CAMPAIGN, message = Ids.CAMPAIGN_MESSAGE) String campaignId,
            @NotNull @Min(Business.MIN_RATIO_PERCENT) @Max(Business.MAX_RATIO_PERCENT) Integer ratioPercent,
            @NotNull @Positive @Max(Amounts.MAX) Long capAmount,
            @NotNull @Pattern(regexp = "EUR|GBP|USD|CHF", message = "must be one of EUR, GBP, USD, CHF") String currency,
            Instant startsAt,
            Instant endsAt) {
    }

    private final CommandGateway commands;
    private final OrganisationAccess access;
    private final Lookups lookups;
    private final BusinessLookupsReader businesses;
    private final CampaignLookupsReader campaigns;

    BusinessController(CommandGateway commands, OrganisationAccess access, Lookups lookups,
                       BusinessLookupsReader businesses, CampaignLookupsReader campaigns) {
        this.commands = commands;
        this.access = access;
        this.lookups = lookups;
        this.businesses = businesses;
        this.campaigns = campaigns;
    }

    /** Any signed-in user may register a business (status pending); they become its manager. */
    @ResponseStatus(HttpStatus.CREATED)
    @PostMapping
    @ApiData(BusinessAnswers.Business.class)
    ResponseEntity<ApiEnvelope<Map<String, Object>>> create(@Valid @RequestBody CreateBusinessRequest request,
                                                            Caller caller, HttpServletRequest http) {
        String businessId = Ids.next("biz_");
        commands.sendAndWait(new CreateBusinessCommand(businessId, Text.clean("name", request.name()), request.country(),
                caller.userId()));
        return ResponseEntity.status(HttpStatus.CREATED).body(ApiEnvelope.of(view(business(businessId)),
                RequestIds.current(http)));
    }

    /** Its manager and platform administrators. */
    @GetMapping("/{businessId}")
    @ApiData(BusinessAnswers.Business.class)
    ApiEnvelope<Map<String, Object>> get(@PathVariable String businessId, Caller caller, HttpServletRequest http) {
        BusinessLookupsReader.BusinessView business = business(businessId);
        requireManager(caller, business);
        return ApiEnvelope.of(view(business), RequestIds.current(http));
    }

    /** Platform staff checked the business; it may now donate and run matching programmes. */
    @PostMapping("/{businessId}/verify")
    @ApiData(BusinessAnswers.Business.class)
    ApiEnvelope<Map<String, Object>> verify(@PathVariable String businessId, Caller caller, HttpServletRequest http) {
        access.requirePlatformAdmin(caller);
        business(businessId);
        commands.sendAndWait(new VerifyBusinessCommand(businessId, caller.userId()));
        return ApiEnvelope.of(view(business(businessId)), RequestIds.current(http));
    }

    /**
     * Proposes to match donations to an organisation (or one of its campaigns, in the campaign's
     * currency) at {@code ratio_percent}, up to {@code cap_amount}. The business's manager or a
     * platform administrator; the business must be verified. The programme is {@code proposed}: it
     * matches nothing until the organisation accepts it ({@link ProgrammeConsentController}).
     */
    @ResponseStatus(HttpStatus.CREATED)
    @PostMapping("/{businessId}/matching-programmes")
    @ApiData(BusinessAnswers.MatchingProgramme.class)
    ResponseEntity<ApiEnvelope<Map<String, Object>>> startProgramme(@PathVariable String businessId,
                                                                    @Valid @RequestBody ProgrammeRequest request,
                                                                    Caller caller, HttpServletRequest http) {
        BusinessLookupsReader.BusinessView business = business(businessId);
        requireManager(caller, business);
        if (!"verified".equals(business.status())) {
            throw ApiException.conflict("business " + businessId + " is not verified; only a verified business may match donations");
        }
        String organisationId = request.organisationId();
        lookups.notSuspended(organisationId, "take part in matching programmes", "organisation_id");
        if (request.campaignId() != null) {
            // a campaign never activated (a draft, or one cancelled as a draft) is the organisation's own business: to
            // anyone outside it, it does not exist
            CampaignLookupsReader.CampaignView campaign = campaigns.campaign(organisationId, request.campaignId())
                    .filter(found -> !found.unannounced() || access.isInside(caller, organisationId))
                    .orElseThrow(() -> ApiException.invalid("campaign_id", "organisation " + organisationId
                            + " has no campaign " + request.campaignId()));
            if ("completed".equals(campaign.status()) || "cancelled".equals(campaign.status())) {
                throw ApiException.conflict("campaign " + campaign.id() + " is " + campaign.status());
            }
            if (!campaign.currency().equals(request.currency())) {
                throw ApiException.invalid("currency", "campaign " + campaign.id() + " raises " + campaign.currency()
                        + ", not " + request.currency());
            }
        }
        String programmeId = Ids.next("mp_");
        commands.sendAndWait(new StartMatchingProgrammeCommand(businessId, programmeId, organisationId, request.campaignId(),
                request.ratioPercent(), request.capAmount(), request.currency(), Moments.of("starts_at", request.startsAt()), Moments.of("ends_at", request.endsAt()),
                caller.userId()));
        return ResponseEntity.status(HttpStatus.CREATED).body(ApiEnvelope.of(programmeView(organisationId, programmeId),
                RequestIds.current(http)));
    }

    /** The programme and how much of its cap is used: the business's manager, platform staff, or any role in the organisation. */
    @GetMapping("/{businessId}/matching-programmes/{programmeId}")
    @ApiData(BusinessAnswers.MatchingProgramme.class)
    ApiEnvelope<Map<String, Object>> getProgramme(@PathVariable String businessId, @PathVariable String programmeId,
                                                  Caller caller, HttpServletRequest http) {
        BusinessLookupsReader.BusinessView business = business(businessId);
        String organisationId = lookups.ownerOf(programmeId, "programme_id");
        if (!isManager(caller, business)) {
            access.require(caller, organisationId, Role.ANY);
        }
        Map<String, Object> programme = programmeView(organisationId, programmeId);
        if (!businessId.equals(programme.get("business_id"))) {
            // the words of a programme that does not exist: another business's programmes are not told apart from none
            throw ApiException.notFound("programme_id", "no such resource: " + programmeId);
        }
        return ApiEnvelope.of(programme, RequestIds.current(http));
    }

    /** The business's programmes in every organisation, by id, with how much of each cap is used: its manager and platform staff. */
    @GetMapping("/{businessId}/matching-programmes")
    @ApiData(value = BusinessAnswers.MatchingProgramme.class, list = true)
    ApiEnvelope<List<Map<String, Object>>> programmes(@PathVariable String businessId,
                                                      @RequestParam(required = false) Integer limit,
                                                      @RequestParam(required = false) String cursor,
                                                      Caller caller, HttpServletRequest http) {
        requireManager(caller, business(businessId));
        return programmePage(limit, cursor, (after, rows) -> businesses.programmesOf(businessId, after, rows), http);
    }

    /** A keyset page of programmes by id, read by {@code read} (ids after, how many rows). */
    static ApiEnvelope<List<Map<String, Object>>> programmePage(
            Integer limit, String cursor, BiFunction<String, Integer, List<BusinessLookupsReader.ProgrammeView>> read,
            HttpServletRequest http) {
        IdPages.Page page = IdPages.of(limit, cursor, "mp_");
        List<Map<String, Object>> rows = read.apply(page.after(), page.limit() + 1).stream()
                .map(BusinessController::programmeView).toList();
        return IdPages.envelope(rows, page, row -> (String) row.get("id"), RequestIds.current(http));
    }

    private BusinessLookupsReader.BusinessView business(String businessId) {
        return businesses.business(businessId)
                .orElseThrow(() -> ApiException.notFound("business_id", "no business " + businessId));
    }

    private static boolean isManager(Caller caller, BusinessLookupsReader.BusinessView business) {
        return caller.platformAdmin() || caller.userId().equals(business.managerUserId());
    }

    private static void requireManager(Caller caller, BusinessLookupsReader.BusinessView business) {
        if (!isManager(caller, business)) {
            throw ApiException.forbidden("only the manager of business " + business.id() + " or a platform administrator may do this");
        }
    }

    private static Map<String, Object> view(BusinessLookupsReader.BusinessView business) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", business.id());
        view.put("name", business.name());
        view.put("country", business.country());
        view.put("status", business.status());
        view.put("manager_user_id", business.managerUserId());
        view.put("verified_at", text(business.verifiedAt()));
        view.put("created_at", text(business.createdAt()));
        return view;
    }

    private Map<String, Object> programmeView(String organisationId, String programmeId) {
        return programmeView(businesses.programme(organisationId, programmeId)
                .orElseThrow(() -> ApiException.notFound("programme_id", "no matching programme " + programmeId)));
    }

    static Map<String, Object> programmeView(BusinessLookupsReader.ProgrammeView programme) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", programme.id());
        view.put("business_id", programme.businessId());
        view.put("organisation_id", programme.organisationId());
        view.put("campaign_id", programme.campaignId());
        view.put("ratio_percent", programme.ratioPercent());
        view.put("cap_amount", programme.capAmount());
        view.put("used_amount", programme.usedAmount());
        view.put("currency", programme.currency());
        view.put("starts_at", text(programme.startsAt()));
        view.put("ends_at", text(programme.endsAt()));
        view.put("status", programme.status());
        view.put("decided_at", text(programme.decidedAt()));
        view.put("decided_by", programme.decidedBy());
        view.put("created_at", text(programme.createdAt()));
        return view;
    }

    private static String text(Instant at) {
        return at == null ? null : at.toString();
    }
}
