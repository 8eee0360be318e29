package io.amply.command.donation;

import io.amply.command.donation.DonationController.DonationRequest;
import io.amply.command.donation.DonationController.Payment;
import io.amply.command.idempotency.IdempotentCommands;
import io.amply.command.lookup.BusinessLookupsReader;
import io.amply.command.lookup.CampaignLookupsReader;
import io.amply.command.lookup.DonorIdentities;
import io.amply.command.lookup.Lookups;
import io.amply.command.security.Caller;
import io.amply.command.security.OrganisationAccess;
import io.amply.command.security.Role;
import io.amply.command.web.ApiException;
import io.amply.command.web.PublicAfter;
import io.amply.command.web.Text;
import io.amply.events.Visibility;
import io.amply.events.donation.CompleteDonationCommand;
import io.amply.events.donation.InitiateDonationCommand;
import io.amply.events.donation.RecordReceivedDonationCommand;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A new donation in three steps, so that {@link DonationBatcher} can run many in one unit of work:
 * the checks, which read and write nothing and end in the command; the command; and, once the
 * command's events and their lookup rows are written, the answer (and the donor's identity, where
 * the row could not be inserted with it).
 */
@Component
class DonationIntake {

    /**
     * A donation that passed its checks: its command (whose identifier traces its events), its
     * donor (null if the request names none), and the answer the request gets once the command succeeds.
     */
    record Checked(String organisationId, String donationId, CommandMessage<?> command, DonorIdentities.Donor donor,
                   Map<String, Object> view) {

        /** The same donation, its command sent for the request that holds {@code claim}. */
        Checked sentFor(IdempotentCommands.Claim claim) {
            return new Checked(organisationId, donationId, IdempotentCommands.sentFor(command, claim), donor, view);
        }
    }

    private final CommandGateway commands;
    private final OrganisationAccess access;
    private final Lookups lookups;
    private final CampaignLookupsReader campaigns;
    private final BusinessLookupsReader businesses;

    DonationIntake(CommandGateway commands, OrganisationAccess access, Lookups lookups,
                   CampaignLookupsReader campaigns, BusinessLookupsReader businesses) {
        this.commands = commands;
        this.access = access;
        this.lookups = lookups;
        this.campaigns = campaigns;
        this.businesses = businesses;
    }

    /**
     * Everything a donation is checked for before its command; throws {@link ApiException} and
     * writes nothing. {@code targets} holds the organisations and funds already looked up in this
     * transaction: donations do not change what is checked of them (status, currency), so the
     * donations of one batch to one fund share one look-up. {@code donationId} is the donation's
     * for every attempt to record it ({@link DonationBatcher}).
     */
    Checked check(DonationRequest request, Caller caller, Map<List<String>, Lookups.FundOfOrganisation> targets,
                  String donationId) {
        String org = request.organisationId();
        // in the batch's transaction, through the organisation's gate: a role removed meanwhile waits or is seen
        access.requireHeld(caller, org, request.payment() == null ? Role.INITIATE_DONATION : Role.MONEY);
        Lookups.FundOfOrganisation target = targets.computeIfAbsent(List.of(org, request.fundId()),
                key -> lookups.fundOfOrganisation(org, request.fundId(), "fund_id", "receive donations"));
        Lookups.OrganisationView organisation = target.organisation();
        Lookups.FundView fund = target.fund();
        if (!"open".equals(fund.status())) {
            throw ApiException.conflict("fund " + request.fundId() + " is closed");
        }
        // a pledge outside the window is refused; money that already arrived (recorded with its
        // payment: a bank transfer for the appeal that came late) is booked, as a pledge's is
        if (request.payment() == null && !fund.takesDonationsOn(LocalDate.now(ZoneOffset.UTC))) {
            throw ApiException.conflict("fund " + request.fundId() + " takes donations only within its restriction window, "
                    + (fund.startsOn() == null ? "" : "from " + fund.startsOn() + " ")
                    + (fund.endsOn() == null ? "" : "to " + fund.endsOn() + " ") + "(UTC)");
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
        Object command;
        long fee = 0;
        if (request.payment() == null) {
            command = new InitiateDonationCommand(donationId, org, fund.id(), campaignId, businessId,
                    request.amount(), request.currency(), visibility, Boolean.TRUE.equals(request.donorCoversFees()),
                    publicAfter);
        } else {
            Payment payment = request.payment();
            fee = payment.feeAmount() == null ? 0 : payment.feeAmount();
            String reference = Text.clean("payment.reference", payment.reference());
            // checked even where no fee keeps it: bad input is refused, never dropped in silence
            String chargedBy = Text.clean("payment.fee_charged_by", payment.feeChargedBy());
            lookups.requirePaymentNotRecorded(org, reference, donationId);
            command = new RecordReceivedDonationCommand(donationId, org, fund.id(), campaignId,
                    request.amount(), request.currency(), fee, fee > 0 ? chargedBy : null,
                    payment.method(), reference, visibility, caller.userId(), businessId, publicAfter);
        }
        // what the donation's lookup row holds once the command's events are handled: the answer is
        // built from the command instead of read back (a round trip per donation); GET reads the row
        Map<String, Object> view = view(donationId, org, fund.id(), campaignId, request.amount(), request.currency(),
                request.payment() == null ? "pending" : "completed", fee, 0, visibility.name());
        return new Checked(org, donationId, GenericCommandMessage.asCommandMessage(command),
                DonorIdentities.of(donorName, donorEmail), view);
    }

    /** The Stripe payment a donation received, if that is what its reference names (else null). */
    static String stripePayment(Checked donation) {
        return donation.command().getPayload() instanceof RecordReceivedDonationCommand received
                && CompleteDonationCommand.isStripePayment(received.paymentReference()) ? received.paymentReference() : null;
    }

    /**
     * Claims the Stripe payment the donation received, if any, in the batch's transaction: the check only looked,
     * and this settles it against a recording of the same payment at the same moment (the second waits for the
     * first's transaction, then is refused). Before any command of the batch takes an aggregate lock: a claim
     * waited for while holding one could close a cycle with a request that claimed first and waits for that
     * aggregate, which only the lock timeout would break.
     */
    void claimPayment(Checked donation) {
        String payment = stripePayment(donation);
        if (payment != null) {
            lookups.claimStripePayment(donation.organisationId(), donation.donationId(), payment);
        }
    }

    void send(Checked donation) {
        DonorIdentities.offer(donation.donationId(), donation.donor()); // the lookup row is inserted with it
        commands.sendAndWait(donation.command());
    }

    /**
     * After the command's events and lookup rows are written, in the same transaction: the donor's
     * identity, if the row was not inserted with it (a command that ran in a unit of work of its own).
     */
    Map<String, Object> finish(Checked donation) {
        DonorIdentities.Donor donor = donation.donor();
        if (donor != null && !donor.written()) {
            lookups.recordDonor(donation.organisationId(), donation.donationId(), donor.name(), donor.email());
        }
        return donation.view();
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

    /** A donation as its lookup row holds it now. */
    Map<String, Object> view(String org, String donationId) {
        Lookups.DonationView d = lookups.donation(org, donationId);
        Map<String, Object> view = view(d.id(), d.organisationId(), d.fundId(), d.campaignId(), d.amount(), d.currency(),
                d.status(), d.feeAmount(), d.refundedAmount(), d.visibility());
        view.put("failure_reason", d.failureReason());
        return view;
    }

    private static Map<String, Object> view(String id, String org, String fund, String campaign, long amount,
                                            String currency, String status, long fee, long refunded, String visibility) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", id);
        view.put("organisation_id", org);
        view.put("fund_id", fund);
        view.put("campaign_id", campaign);
        view.put("amount", amount);
        view.put("currency", currency);
        view.put("status", status);
        view.put("fee_amount", fee);
        view.put("refunded_amount", refunded);
        view.put("visibility", visibility);
        view.put("failure_reason", null); // a donation just recorded has not failed
        return view;
    }
}
