package io.amply.command.organisation;

import io.amply.command.security.Caller;
import io.amply.command.security.OrganisationAccess;
import io.amply.command.security.Role;
import io.amply.command.web.ApiException;
import io.amply.command.web.Ids;
import io.amply.command.web.RequestIds;
import io.amply.db.TenantContext;
import io.amply.events.Visibility;
import io.amply.events.api.ApiEnvelope;
import io.amply.events.organisation.CreateOrganisationCommand;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
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

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@RestController
@RequestMapping("/v1/organisations")
class OrganisationController {

    private final CommandGateway commands;
    private final OrganisationAccess access;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;

    OrganisationController(CommandGateway commands, OrganisationAccess access, JdbcTemplate jdbc,
                           TransactionTemplate transactions) {
        this.commands = commands;
        this.access = access;
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /** Any signed-in user may create an organisation; they become its owner. */
    @PostMapping
    ResponseEntity<ApiEnvelope<Map<String, Object>>> create(@Valid @RequestBody CreateOrganisationRequest request,
                                                            Caller caller, HttpServletRequest http) {
        String organisationId = Ids.next("org_");
        commands.sendAndWait(new CreateOrganisationCommand(organisationId, request.name().strip(), request.country(),
                request.defaultVisibility() == null ? Visibility.public_full : request.defaultVisibility(),
                Ids.next("fund_"), request.currency() == null ? "EUR" : request.currency(), caller.userId()));
        return ResponseEntity.status(HttpStatus.CREATED).body(ApiEnvelope.of(read(organisationId), RequestIds.current(http)));
    }

    /** The command side's view of an organisation, right after a write. */
    @GetMapping("/{organisationId}")
    ApiEnvelope<Map<String, Object>> get(@PathVariable String organisationId, Caller caller, HttpServletRequest http) {
        if (!Ids.looksLike("org_", organisationId)) {
            throw ApiException.notFound("organisation_id", "no organisation " + organisationId);
        }
        access.require(caller, organisationId, Role.ANY);
        return ApiEnvelope.of(read(organisationId), RequestIds.current(http));
    }

    private Map<String, Object> read(String organisationId) {
        return transactions.execute(status -> {
            jdbc.query(TenantContext.SET_ORGANISATION, rs -> null, organisationId);
            List<Map<String, Object>> organisations = jdbc.query("""
                    SELECT id, name, country, status, default_visibility, created_at FROM organisations WHERE id = ?""",
                    (rs, row) -> {
                        Map<String, Object> organisation = new LinkedHashMap<>();
                        organisation.put("id", rs.getString("id"));
                        organisation.put("name", rs.getString("name"));
                        organisation.put("country", rs.getString("country"));
                        organisation.put("status", rs.getString("status"));
                        organisation.put("default_visibility", rs.getString("default_visibility"));
                        organisation.put("created_at", rs.getTimestamp("created_at").toInstant().toString());
                        return organisation;
                    }, organisationId);
            if (organisations.isEmpty()) {
                throw ApiException.notFound("organisation_id", "no organisation " + organisationId);
            }
            Map<String, Object> organisation = organisations.get(0);
            organisation.put("funds", jdbc.query("""
                    SELECT id, name, type, currency, status FROM funds WHERE organisation_id = ? ORDER BY created_at, id""",
                    (rs, row) -> Map.of("id", rs.getString("id"), "name", rs.getString("name"),
                            "type", rs.getString("type"), "currency", rs.getString("currency"),
                            "status", rs.getString("status")), organisationId));
            return organisation;
        });
    }
}
