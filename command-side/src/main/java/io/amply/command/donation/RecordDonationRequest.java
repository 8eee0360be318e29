package io.amply.command.donation;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.amply.events.Visibility;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/**
 * {@code POST /v1/donations} for money that has already arrived (bank transfer, cheque, cash):
 * the donation is recorded as completed. Amounts are integer minor units.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record RecordDonationRequest(
        @NotBlank String organisationId,
        @NotBlank String fundId,
        String campaignId,
        @NotNull @Positive @Max(9_007_199_254_740_991L) Long amount,
        @NotNull @Pattern(regexp = "EUR|GBP|USD|CHF", message = "must be one of EUR, GBP, USD, CHF") String currency,
        Visibility visibility,
        @NotNull @Valid Payment payment) {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Payment(
            @NotNull @Pattern(regexp = "bank_transfer|cheque|cash|card_terminal|other",
                    message = "must be one of bank_transfer, cheque, cash, card_terminal, other") String method,
            @NotBlank @Size(max = 255) String reference,
            @PositiveOrZero Long feeAmount,
            @Size(max = 100) String feeChargedBy) {
    }
}
