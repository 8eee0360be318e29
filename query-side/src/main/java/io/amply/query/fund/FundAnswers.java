package io.amply.query.fund;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;

import java.math.BigInteger;

/** What the funds' reads answer in {@code data} (FundRows): for the OpenAPI document (ApiData), never serialized. */
final class FundAnswers {

    private FundAnswers() {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "PublicFund", description = "A fund as anyone may see it; amounts in minor units")
    record PublicFund(@Schema(description = "`fund_…`") String id, String name,
                      @Schema(allowableValues = {"general", "project", "restricted", "emergency"}) String type,
                      @Schema(description = "whether its type is other than `general`") Boolean restricted,
                      @Schema(allowableValues = {"EUR", "GBP", "USD", "CHF"}) String currency,
                      @Schema(allowableValues = {"open", "closed"}) String status,
                      Long balance, @Schema(description = "all money in so far") BigInteger incoming,
                      @Schema(description = "all money out so far") BigInteger outgoing) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "MemberFund", description = "A fund as the organisation's members see it: the public view with its "
            + "organisation and restrictions; amounts in minor units")
    record MemberFund(@Schema(description = "`fund_…`") String id, @Schema(description = "`org_…`") String organisationId,
                      String name, @Schema(allowableValues = {"general", "project", "restricted", "emergency"}) String type,
                      @Schema(description = "whether its type is other than `general`") Boolean restricted,
                      @Schema(allowableValues = {"EUR", "GBP", "USD", "CHF"}) String currency,
                      @Schema(allowableValues = {"open", "closed"}) String status,
                      Long balance, @Schema(description = "all money in so far") BigInteger incoming,
                      @Schema(description = "all money out so far") BigInteger outgoing,
                      MemberFundRestrictions restrictions) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "MemberFundRestrictions", description = "What the fund's money is for and when it takes donations; "
            + "each member present only when set (`{}` for none)")
    record MemberFundRestrictions(@Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED,
                                          description = "present only when set") String purpose,
                                  @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED,
                                          description = "present only when set") String geography,
                                  @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED,
                                          description = "first day it takes donations, YYYY-MM-DD (UTC); present only when set")
                                  String startsOn,
                                  @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED,
                                          description = "last day it takes donations, YYYY-MM-DD (UTC); present only when set")
                                  String endsOn) {
    }
}
