package io.amply.command.donation;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.amply.command.OneTransaction;
import io.amply.command.lookup.Lookups;
import io.amply.command.note.LedgerNotes;
import io.amply.command.security.Caller;
import io.amply.command.security.OrganisationAccess;
import io.amply.command.security.Role;
import io.amply.command.web.Ids;
import io.amply.command.web.RequestIds;
import io.amply.command.web.Text;
import io.amply.events.Amounts;
import io.amply.events.Visibility;
import io.amply.events.api.ApiData;
import io.amply.events.api.ApiEnvelope;
import io.amply.events.donation.CompleteDonationCommand;
import io.amply.events.donation.FailDonationCommand;
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
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

@RestController
@RequestMapping("/v1/donations")
class DonationController {


    /**
     * {@code POST /v1/donations}. Without {@code payment} the donation starts pending (the payment
     * provider completes it); with {@code payment} the money has already arrived (bank transfer,
     * cheque, …) and the donation is recorded as completed, by finance roles only.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record DonationRequest(
            @NotBlank @Size(max = 20) @Pattern(regexp = Ids.ORGANISATION, message = Ids.ORGANISATION_MESSAGE) String organisationId,
            @NotBlank @Size(max = 20) @Pattern(regexp = Ids.FUND, message = Ids.FUND_MESSAGE) String fundId,
            @Size(max = 20) @Pattern(regexp = Ids.CAMPAIGN, message = Ids.CAMPAIGN_MESSAGE) String campaignId,
            @Size(max = 20) @Pattern(regexp = Ids.BUSINESS, message = Ids.BUSINESS_MESSAGE) String businessId,
            @NotNull @Positive @Max(Amounts.MAX) Long amount,
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
            @PositiveOrZero @Max(Amounts.MAX) Long feeAmount,
            @Size(max = 100) String feeChargedBy) {
    }

    record FailRequest(@NotBlank @Size(max = 500) String reason) {
    }

    record RefundRequest(@NotNull @Positive @Max(Amounts.MAX) Long amount, @NotBlank @Size(max = 500) String reason) {
    }

    private final CommandGateway commands;
    private final OrganisationAccess access;
    private final Lookups lookups;
    private final DonationIntake intake;
    private final DonationBatcher batcher;
    private final OneTransaction oneTransaction;
    private final LedgerNotes notes;

    DonationController(CommandGateway commands, OrganisationAccess access, Lookups lookups, DonationIntake intake,
                       DonationBatcher batcher, OneTransaction oneTransaction, LedgerNotes notes) {
        this.notes = notes;
        this.commands = commands;
        this.access = access;
        this.lookups = lookups;
        this.intake = intake;
        this.batcher = batcher;
        this.oneTransaction = oneTransaction;
    }

    @ResponseStatus(HttpStatus.CREATED)
    @PostMapping
    @ApiData(DonationAnswers.Donation.class)
    ResponseEntity<ApiEnvelope<Map<String, Object>>> create(@Valid @RequestBody DonationRequest request,
                                                            Caller caller, HttpServletRequest http) {
        // recorded together with the donations that arrive meanwhile: one transaction, one commit
        Map<String, Object> view = batcher.record(request, caller);
        return ResponseEntity.status(HttpStatus.CREATED).body(ApiEnvelope.of(view, RequestIds.current(http)));
    }

    @GetMapping("/{donationId}")
    @ApiData(DonationAnswers.Donation.class)
    ApiEnvelope<Map<String, Object>> get(@PathVariable String donationId, Caller caller, HttpServletRequest http) {
        String org = lookups.ownerOf(donationId, "donation_id");
        Map<String, Object> donation = intake.view(org, donationId); // answered only once authorised, below
        // content and viewer see what the public sees (as in the query side's ledger): a donation's
        // amounts only when they are public in full, and never the organisation's words on why it failed
        access.require(caller, org, "public_full".equals(donation.get("visibility")) ? Role.ANY : Role.FULL_CONTENT)
                .filter(role -> !Role.FULL_CONTENT.contains(role))
                .ifPresent(role -> donation.put("failure_reason", null));
        return ApiEnvelope.of(donation, RequestIds.current(http));
    }

    /** Money for a pending donation arrived outside the payment provider. */
    @PostMapping("/{donationId}/complete")
    @ApiData(DonationAnswers.Donation.class)
    ApiEnvelope<Map<String, Object>> complete(@PathVariable String donationId, @Valid @RequestBody Payment payment,
                                              Caller caller, HttpServletRequest http) {
        String org = lookups.ownerOf(donationId, "donation_id");
        access.require(caller, org, Role.MONEY);
        long fee = payment.feeAmount() == null ? 0 : payment.feeAmount();
        // checked even where no fee keeps it: bad input is refused, never dropped in silence
        String chargedBy = Text.clean("fee_charged_by", payment.feeChargedBy());
        CompleteDonationCommand completion = new CompleteDonationCommand(donationId, payment.method(),
                Text.clean("reference", payment.reference()), fee, fee > 0 ? chargedBy : null);
        // what Stripe reports (the webhook) is still recorded: there the money has already moved
        oneTransaction.run(() -> {
            access.requireHeldForMoney(caller, org, "receive money");
            lookups.holdDonation(org, donationId); // the row before the aggregate, as fail and refund take them
            lookups.claimStripePayment(org, donationId, completion.paymentReference()); // one payment, one donation
            return commands.sendAndWait(completion);
        });
        return ApiEnvelope.of(intake.view(org, donationId), RequestIds.current(http));
    }

    @PostMapping("/{donationId}/fail")
    @ApiData(DonationAnswers.Donation.class)
    ApiEnvelope<Map<String, Object>> fail(@PathVariable String donationId, @Valid @RequestBody FailRequest request,
                                          Caller caller, HttpServletRequest http) {
        String org = lookups.ownerOf(donationId, "donation_id");
        access.require(caller, org, Role.MONEY);
        String reason = Text.clean("reason", request.reason());
        // the organisation's words stay on the donation, erasable with its donor, and out of the event (Kafka keeps
        // those for good); in the failure's transaction, which the donation refuses unless it is pending
        oneTransaction.run(() -> {
            lookups.holdDonation(org, donationId);
            lookups.recordFailureReason(org, donationId, reason);
            return commands.sendAndWait(new FailDonationCommand(donationId, null));
        });
        return ApiEnvelope.of(intake.view(org, donationId), RequestIds.current(http));
    }

    @PostMapping("/{donationId}/refund")
    @ApiData(DonationAnswers.Donation.class)
    ApiEnvelope<Map<String, Object>> refund(@PathVariable String donationId, @Valid @RequestBody RefundRequest request,
                                            Caller caller, HttpServletRequest http) {
        String org = lookups.ownerOf(donationId, "donation_id");
        access.require(caller, org, Role.MONEY);
        String reason = Text.clean("reason", request.reason());
        String refundId = Ids.next("rfd_");
        oneTransaction.run(() -> {
            access.requireHeldForMoney(caller, org, "pay out refunds");
            // the reason is the organisation's words, kept where they can be erased: the event names the note; the
            // donation held first, so that a donor's erasure under way either waits for the note or went before it
            lookups.holdDonation(org, donationId);
            return commands.sendAndWait(new RefundDonationCommand(donationId, refundId, request.amount(),
                    caller.userId(), notes.writeAbout(donationId, reason, org)));
        });
        return ApiEnvelope.of(intake.view(org, donationId), RequestIds.current(http));
    }
}
