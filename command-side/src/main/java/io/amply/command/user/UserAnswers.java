package io.amply.command.user;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/** What the users' endpoints answer in {@code data}: for the OpenAPI document (ApiData), never serialized. */
final class UserAnswers {

    private UserAnswers() {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "User", description = "A user")
    record User(@Schema(description = "`usr_…`") String id, String email, String name,
                @Schema(nullable = true, description = "platform staff only") String platformRole,
                @Schema(description = "ISO-8601 instant") String createdAt) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "ApiKeyCreated", description = "A new API key, its secret shown this once")
    record ApiKeyCreated(@Schema(description = "`key_…`") String id, String userId,
                         @Schema(nullable = true, description = "`sk_…`: null when an Idempotency-Key replay answers again")
                         String apiKey,
                         @Schema(nullable = true) String expiresAt, String note) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "ApiKey", description = "One of a user's API keys, never its secret; times ISO-8601")
    record ApiKey(@Schema(description = "`key_…`") String id, @Schema(description = "the secret's start and last four") String hint,
                  String createdAt, @Schema(nullable = true) String expiresAt, @Schema(nullable = true) String revokedAt) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "ApiKeyRevoked", description = "The key revoked")
    record ApiKeyRevoked(String id, Boolean revoked,
                         @Schema(description = "the keys made with it (and with those), revoked with it: `key_…`, sorted")
                         List<String> alsoRevoked) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "UserMembership", description = "An organisation the user has a role in")
    record UserMembership(@Schema(description = "`org_…`") String organisationId, String role,
                          @Schema(description = "when the role was granted, ISO-8601") String createdAt) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "ManagedBusiness", description = "A business the user manages")
    record ManagedBusiness(@Schema(description = "`biz_…`") String id, String name, String status) {
    }
}
