package io.amply.command.donation;

import io.amply.command.security.Caller;
import io.amply.command.security.OrganisationAccess;
import io.amply.command.security.Role;
import io.amply.command.web.ApiException;
import io.amply.command.web.Ids;
import io.amply.command.web.RequestIds;
import io.amply.db.TenantContext;
import io.amply.events.Visibility;
import io.amply.events.api.ApiEnvelope;
import io.amply.events.donation.RecordReceivedDonationCommand;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@RestController
@RequestMapping("/v1/donations")
class DonationController {

    private final CommandGateway commands;
    private final OrganisationAccess access;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;

    DonationController(CommandGateway commands, OrganisationAccess access, JdbcTemplate jdbc,
                       TransactionTemplate transactions) {
        this.commands = commands;
        this.access = access;
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    private record Fund(String currency, String status, String organisationVisibility) {
    }

    /** Records a donation whose money has arrived; finance roles only. */
    @PostMapping
    ResponseEntity<ApiEnvelope<Map<String, Object>>> record(@Valid @RequestBody RecordDonationRequest request,
                                                            Caller caller, HttpServletRequest http) {
        access.require(caller, request.organisationId(), Role.MONEY);
        Fund fund = fund(request.organisationId(), request.fundId());
        if (!"open".equals(fund.status())) {
            throw ApiException.invalid("fund_id", "fund " + request.fundId() + " is closed");
        }
        if (!fund.currency().equals(request.currency())) {
            throw ApiException.invalid("currency", "fund " + request.fundId() + " holds " + fund.currency()
                    + ", not " + request.currency());
        }
        long fee = request.payment().feeAmount() == null ? 0 : request.payment().feeAmount();
        if (fee > request.amount()) {
            throw ApiException.invalid("payment.fee_amount", "the fee cannot exceed the donation's amount");
        }
        Visibility visibility = request.visibility() != null ? request.visibility()
                : Visibility.valueOf(fund.organisationVisibility());
        String donationId = Ids.next("don_");
        commands.sendAndWait(new RecordReceivedDonationCommand(donationId, request.organisationId(), request.fundId(),
                request.campaignId(), request.amount(), request.currency(), fee,
                fee > 0 ? request.payment().feeChargedBy() : null, request.payment().method(),
                request.payment().reference(), visibility, caller.userId()));

        Map<String, Object> donation = new LinkedHashMap<>();
        donation.put("id", donationId);
        donation.put("organisation_id", request.organisationId());
        donation.put("fund_id", request.fundId());
        donation.put("amount", request.amount());
        donation.put("currency", request.currency());
        donation.put("fee_amount", fee);
        donation.put("status", "completed");
        donation.put("visibility", visibility.name());
        return ResponseEntity.status(HttpStatus.CREATED).body(ApiEnvelope.of(donation, RequestIds.current(http)));
    }

    private Fund fund(String organisationId, String fundId) {
        List<Fund> funds = transactions.execute(status -> {
            jdbc.query(TenantContext.SET_ORGANISATION, rs -> null, organisationId);
            return jdbc.query("""
                            SELECT f.currency, f.status, o.default_visibility
                              FROM funds f JOIN organisations o ON o.id = f.organisation_id
                             WHERE f.id = ? AND f.organisation_id = ?""",
                    (rs, row) -> new Fund(rs.getString(1), rs.getString(2), rs.getString(3)), fundId, organisationId);
        });
        if (funds == null || funds.isEmpty()) {
            throw ApiException.invalid("fund_id", "organisation " + organisationId + " has no fund " + fundId);
        }
        return funds.get(0);
    }
}
