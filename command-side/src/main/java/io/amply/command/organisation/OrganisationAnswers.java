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
                        @Schema(nullable = true, description = "why platform staff suspended it, while it is suspended; null "
                                + "otherwise (and for a suspension before 2026-11-29, whose reason is in its event)")
                        String suspensionReason,
                        @Schema(description = "its funds, the General Fund first") List<OrganisationFund> funds) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "OrganisationFund", description = "One of an organisation's funds")
    record OrganisationFund(@Schema(description = "`fund_…`") String id, String name, String type, String currency,
                            String status, @Schema(description = "minor units") Long balance) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "MembershipGranted", description = "The role granted, or offered to someone without a role in the organisation")
    record MembershipGranted(String organisationId, String userId, String role,
                             @Schema(allowableValues = {"active", "invited"},
                                     description = "`invited`: the role takes effect when the user accepts it") String status) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "Invitation", description = "A role offered to a user, not yet accepted")
    record Invitation(@Schema(description = "`usr_…`") String userId, String role,
                      @Schema(description = "`usr_…`: who offered it") String invitedBy,
                      @Schema(description = "when it was offered, ISO-8601") String createdAt) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "UserInvitation", description = "A role offered to the user, not yet accepted")
    record UserInvitation(@Schema(description = "`org_…`") String organisationId,
                          @Schema(description = "the organisation's name when it was offered") String organisationName,
                          String role, @Schema(description = "`usr_…`: who offered it") String invitedBy,
                          @Schema(description = "when it was offered, ISO-8601") String createdAt) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "InvitationDeclined", description = "The offer declined")
    record InvitationDeclined(String organisationId, String userId, Boolean declined) {
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
