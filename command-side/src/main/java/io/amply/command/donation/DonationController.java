package io.amply.command.donation;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.amply.command.lookup.BusinessLookupsReader;
import io.amply.command.lookup.CampaignLookupsReader;
import io.amply.command.lookup.Lookups;
import io.amply.command.security.Caller;
import io.amply.command.security.OrganisationAccess;
import io.amply.command.security.Role;
import io.amply.command.web.ApiException;
import io.amply.command.web.Ids;
import io.amply.command.web.PublicAfter;
import io.amply.command.web.RequestIds;
import io.amply.command.web.Text;
import io.amply.events.Visibility;
import io.amply.events.api.ApiEnvelope;
import io.amply.events.donation.CompleteDonationCommand;
import io.amply.events.donation.FailDonationCommand;
import io.amply.events.donation.InitiateDonationCommand;
import io.amply.events.donation.RecordReceivedDonationCommand;
import io.amply.events.donation.RefundDonationCommand;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

@RestController
@RequestMapping("/v1/donations")
class DonationController {

    static final long MAX_AMOUNT = 9_007_199_254_740_991L;

    /**
     * {@code POST /v1/donations}. Without {@code payment} the donation starts pending (the payment
     * provider completes it); with {@code payment} the money has already arrived (bank transfer,
     * cheque, …) and the donation is recorded as completed, by finance roles only.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record DonationRequest(
            @NotBlank @Size(max = 20) String organisationId,
            @NotBlank @Size(max = 20) String fundId,
            @Size(max = 20) String campaignId,
            @Size(max = 20) String businessId,
            @NotNull @Positive @Max(MAX_AMOUNT) Long amount,
            @NotNull @Pattern(regexp = "EUR|GBP|USD|CHF", message = "must be one of EUR, GBP, USD, CHF") String currency,
            Visibility visibility,
            String publicAfter,
            Boolean donorCoversFees,
            @Valid Donor donor,
            @Valid Payment payment) {
    }

    /** The donor's identity: kept in a mutable table, never in an event. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Donor(@Size(max = 200) String name, @Email @Size(max = 320) String email) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Payment(
            @NotNull @Pattern(regexp = "bank_transfer|cheque|cash|card_terminal|other",
                    message = "must be one of bank_transfer, cheque, cash, card_terminal, other") String method,
            @NotBlank @Size(max = 255) String reference,
            @PositiveOrZero @Max(MAX_AMOUNT) Long feeAmount,
            @Size(max = 100) String feeChargedBy) {
    }

    record FailRequest(@NotBlank @Size(max = 500) String reason) {
    }

    record RefundRequest(@NotNull @Positive @Max(MAX_AMOUNT) Long amount, @NotBlank @Size(max = 500) String reason) {
    }

    private final CommandGateway commands;
    private final OrganisationAccess access;
    private final Lookups lookups;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final CampaignLookupsReader campaigns;
    private final BusinessLookupsReader businesses;

    DonationController(CommandGateway commands, OrganisationAccess access, Lookups lookups, JdbcTemplate jdbc,
                       TransactionTemplate transactions, CampaignLookupsReader campaigns,
                       BusinessLookupsReader businesses) {
        this.commands = commands;
        this.access = access;
        this.lookups = lookups;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.campaigns = campaigns;
        this.businesses = businesses;
    }

    @PostMapping
    ResponseEntity<ApiEnvelope<Map<String, Object>>> create(@Valid @RequestBody DonationRequest request,
                                                            Caller caller, HttpServletRequest http) {
        // One transaction for the whole request: the checks before the command, the command with the
        // donor's identity, and the read-back share it, so the organisation is set once and there is
        // one commit (each a round trip to PostgreSQL, the largest part of a donation's cost).
        Map<String, Object> view = transactions.execute(status -> record(request, caller));
        return ResponseEntity.status(HttpStatus.CREATED).body(ApiEnvelope.of(view, RequestIds.current(http)));
    }

    private Map<String, Object> record(DonationRequest request, Caller caller) {
        String org = request.organisationId();
        access.require(caller, org, request.payment() == null ? Role.INITIATE_DONATION : Role.MONEY);
        Lookups.FundOfOrganisation target = lookups.fundOfOrganisation(org, request.fundId(), "fund_id", "receive donations");
        Lookups.OrganisationView organisation = target.organisation();
        Lookups.FundView fund = target.fund();
        if (!"open".equals(fund.status())) {
            throw ApiException.conflict("fund " + request.fundId() + " is closed");
        }
        if (!fund.currency().equals(request.currency())) {
            throw ApiException.invalid("currency", "fund " + request.fundId() + " holds " + fund.currency()
                    + ", not " + request.currency());
        }
        String campaignId = request.campaignId() == null ? null : campaign(org, fund, request.currency(), request.campaignId());
        String businessId = request.businessId() == null ? null : business(caller, request.businessId());
        Visibility visibility = request.visibility() != null ? request.visibility()
                : Visibility.valueOf(organisation.defaultVisibility());
        Instant publicAfter = PublicAfter.resolve(request.publicAfter(), visibility, Instant.now());
        String donorName = request.donor() == null ? null : Text.clean("donor.name", request.donor().name());
        String donorEmail = request.donor() == null ? null : Text.clean("donor.email", request.donor().email());
        String donationId = Ids.next("don_");
        if (request.payment() == null) {
            commands.sendAndWait(new InitiateDonationCommand(donationId, org, fund.id(), campaignId, businessId,
                    request.amount(), request.currency(), visibility, Boolean.TRUE.equals(request.donorCoversFees()),
                    publicAfter));
        } else {
            Payment payment = request.payment();
            long fee = payment.feeAmount() == null ? 0 : payment.feeAmount();
            commands.sendAndWait(new RecordReceivedDonationCommand(donationId, org, fund.id(), campaignId,
                    request.amount(), request.currency(), fee,
                    fee > 0 ? Text.clean("payment.fee_charged_by", payment.feeChargedBy()) : null,
                    payment.method(), Text.clean("payment.reference", payment.reference()), visibility, caller.userId(),
                    businessId, publicAfter));
        }
        // the donor's identity: in the same transaction as the command's events, never in them
        if (donorName != null || donorEmail != null) {
            lookups.inContext(org, () -> jdbc.update("UPDATE donations SET donor_name = ?, donor_email = ? WHERE id = ?",
                    donorName, donorEmail, donationId));
        }
        return view(org, donationId);
    }

    /**
     * The gate for campaign attribution: the campaign belongs to the organisation, is active, runs
     * now, raises money in the donation's currency and into the donation's fund. (The Campaign
     * aggregate counts the money when it arrives even if the campaign ended in between.)
     */
    private String campaign(String org, Lookups.FundView fund, String currency, String campaignId) {
        CampaignLookupsReader.CampaignView campaign = campaigns.campaign(org, campaignId)
                .orElseThrow(() -> ApiException.invalid("campaign_id", "organisation " + org + " has no campaign " + campaignId));
        if (!"active".equals(campaign.status())) {
            throw ApiException.conflict("campaign " + campaignId + " is " + campaign.status()
                    + "; it accepts donations only while active");
        }
        if (!campaign.runsAt(Instant.now())) {
            throw ApiException.conflict("campaign " + campaignId + " accepts donations "
                    + (campaign.startsAt() == null ? "" : "from " + campaign.startsAt() + " ")
                    + (campaign.endsAt() == null ? "with no end" : "until " + campaign.endsAt()) + ", not now");
        }
        if (!campaign.currency().equals(currency)) {
            throw ApiException.invalid("campaign_id", "campaign " + campaignId + " raises " + campaign.currency()
                    + ", not " + currency);
        }
        if (!campaign.fundId().equals(fund.id())) {
            throw ApiException.invalid("fund_id", "campaign " + campaignId + " raises money into fund "
                    + campaign.fundId() + ", not " + fund.id());
        }
        return campaign.id();
    }

    /** A donation is attributed to a business only by its manager (or platform staff), and only once it is verified. */
    private String business(Caller caller, String businessId) {
        BusinessLookupsReader.BusinessView business = businesses.business(businessId)
                .orElseThrow(() -> ApiException.invalid("business_id", "no business " + businessId));
        if (!caller.platformAdmin() && !caller.userId().equals(business.managerUserId())) {
            throw ApiException.forbidden("only the manager of business " + businessId
                    + " or a platform administrator may attribute a donation to it");
        }
        if (!"verified".equals(business.status())) {
            throw ApiException.conflict("business " + businessId + " is not verified");
        }
        return business.id();
    }

    @GetMapping("/{donationId}")
    ApiEnvelope<Map<String, Object>> get(@PathVariable String donationId, Caller caller, HttpServletRequest http) {
        String org = lookups.ownerOf(donationId, "donation_id");
        access.require(caller, org, Role.ANY);
        return ApiEnvelope.of(view(org, donationId), RequestIds.current(http));
    }

    /** Money for a pending donation arrived outside the payment provider. */
    @PostMapping("/{donationId}/complete")
    ApiEnvelope<Map<String, Object>> complete(@PathVariable String donationId, @Valid @RequestBody Payment payment,
                                              Caller caller, HttpServletRequest http) {
        String org = lookups.ownerOf(donationId, "donation_id");
        access.require(caller, org, Role.MONEY);
        // what Stripe reports (the webhook) is still recorded: there the money has already moved
        lookups.notSuspended(org, "receive money");
        long fee = payment.feeAmount() == null ? 0 : payment.feeAmount();
        commands.sendAndWait(new CompleteDonationCommand(donationId, payment.method(),
                Text.clean("reference", payment.reference()), fee,
                fee > 0 ? Text.clean("fee_charged_by", payment.feeChargedBy()) : null));
        return ApiEnvelope.of(view(org, donationId), RequestIds.current(http));
    }

    @PostMapping("/{donationId}/fail")
    ApiEnvelope<Map<String, Object>> fail(@PathVariable String donationId, @Valid @RequestBody FailRequest request,
                                          Caller caller, HttpServletRequest http) {
        String org = lookups.ownerOf(donationId, "donation_id");
        access.require(caller, org, Role.MONEY);
        commands.sendAndWait(new FailDonationCommand(donationId, Text.clean("reason", request.reason())));
        return ApiEnvelope.of(view(org, donationId), RequestIds.current(http));
    }

    @PostMapping("/{donationId}/refund")
    ApiEnvelope<Map<String, Object>> refund(@PathVariable String donationId, @Valid @RequestBody RefundRequest request,
                                            Caller caller, HttpServletRequest http) {
        String org = lookups.ownerOf(donationId, "donation_id");
        access.require(caller, org, Role.MONEY);
        lookups.notSuspended(org, "pay out refunds");
        commands.sendAndWait(new RefundDonationCommand(donationId, Ids.next("rfd_"), request.amount(),
                Text.clean("reason", request.reason()), caller.userId()));
        return ApiEnvelope.of(view(org, donationId), RequestIds.current(http));
    }

    private Map<String, Object> view(String org, String donationId) {
        Lookups.DonationView d = lookups.donation(org, donationId);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", d.id());
        view.put("organisation_id", d.organisationId());
        view.put("fund_id", d.fundId());
        view.put("campaign_id", d.campaignId());
        view.put("amount", d.amount());
        view.put("currency", d.currency());
        view.put("status", d.status());
        view.put("fee_amount", d.feeAmount());
        view.put("refunded_amount", d.refundedAmount());
        view.put("visibility", d.visibility());
        return view;
    }
}
