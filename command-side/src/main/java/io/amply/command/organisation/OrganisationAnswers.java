package io.amply.command.organisation;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/** What the organisations' endpoints answer in {@code data}: for the OpenAPI document (ApiData), never serialized. */
final class OrganisationAnswers {

    private OrganisationAnswers() {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "Organisation", description = "An organisation as the command side holds it right after a write")
    record Organisation(@Schema(description = "`org_…`") String id, String name,
                        @Schema(description = "ISO 3166-1 alpha-2") String country,
                        @Schema(allowableValues = {"pending", "verified", "suspended"}) String status,
                        String verificationLevel,
                        @Schema(allowableValues = {"public_full", "public_aggregated", "internal_only", "delayed_public"})
                        String defaultVisibility,
                        Boolean acceptsFundraisers, @Schema(description = "ISO-8601 instant") String createdAt,
                        @Schema(description = "its funds, the General Fund first") List<OrganisationFund> funds) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "OrganisationFund", description = "One of an organisation's funds")
    record OrganisationFund(@Schema(description = "`fund_…`") String id, String name, String type, String currency,
                            String status, @Schema(description = "minor units") Long balance) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "MembershipGranted", description = "The role now granted")
    record MembershipGranted(String organisationId, String userId, String role) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "MembershipRevoked", description = "The role taken away")
    record MembershipRevoked(String organisationId, String userId, Boolean revoked) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "Member", description = "Someone with a role in the organisation")
    record Member(@Schema(description = "`usr_…`") String userId, String name, String email, String role,
                  @Schema(description = "when the role was granted, ISO-8601") String createdAt) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "CheckpointRequested", description = "A checkpoint of the chain was asked for; it appears on the query side")
    record CheckpointRequested(String organisationId, Boolean requested) {
    }
}
