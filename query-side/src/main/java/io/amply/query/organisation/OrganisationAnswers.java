package io.amply.query.organisation;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;

import java.math.BigInteger;
import java.util.List;

/** What the public directory answers in {@code data}: for the OpenAPI document (ApiData), never serialized. */
final class OrganisationAnswers {

    private OrganisationAnswers() {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "OrganisationSummary", description = "An organisation in the public directory")
    record OrganisationSummary(@Schema(description = "`org_…`") String id, String name,
                               @Schema(description = "ISO 3166-1 alpha-2") String country,
                               @Schema(allowableValues = {"pending", "verified", "suspended"}) String status,
                               @Schema(description = "`none` until verified") String verificationLevel,
                               Boolean acceptsFundraisers, @Schema(description = "ISO-8601 instant") String createdAt) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "OrganisationProfile", description = "An organisation's public profile with its figures")
    record OrganisationProfile(@Schema(description = "`org_…`") String id, String name,
                               @Schema(description = "ISO 3166-1 alpha-2") String country,
                               @Schema(allowableValues = {"pending", "verified", "suspended"}) String status,
                               @Schema(description = "`none` until verified") String verificationLevel,
                               Boolean acceptsFundraisers, @Schema(description = "ISO-8601 instant") String createdAt,
                               OrganisationStats stats) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "OrganisationStats", description = "An organisation's figures")
    record OrganisationStats(@Schema(description = "one per currency, in currency order") List<CurrencyTotals> totals,
                             Long fundCount, @Schema(description = "campaigns ever activated (not drafts, nor drafts cancelled)") Long campaignCount,
                             Long projectCount) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "CurrencyTotals", description = "One currency's figures; amounts in minor units")
    record CurrencyTotals(String currency, BigInteger receivedAmount, Long donationCount, BigInteger refundedAmount,
                          BigInteger feesAmount,
                          @Schema(description = "all spending, whatever its entries' visibility") BigInteger spentAmount,
                          SpendingByVisibility spendingByVisibility,
                          @Schema(nullable = true, description = "spending_by_visibility in words; null when nothing was spent")
                          String spendingSummary) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "SpendingByVisibility", description = "Spending split by the visibility of its ledger entries, in per cent "
            + "(one decimal; all 0 when nothing was spent)")
    record SpendingByVisibility(Double publicFull, Double publicAggregated, Double delayedPublic, Double internalOnly) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "PlatformStats", description = "The platform's figures")
    record PlatformStats(PlatformOrganisationCounts organisations,
                         @Schema(description = "one per currency, all organisations' together") List<CurrencyTotals> totals) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "PlatformOrganisationCounts", description = "How many organisations the directory lists (suspended ones not)")
    record PlatformOrganisationCounts(Long total, Long verified, @Schema(description = "distinct countries") Long countries) {
    }
}
