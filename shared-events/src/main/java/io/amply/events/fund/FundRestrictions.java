package io.amply.events.fund;

import java.time.LocalDate;

/**
 * What a restricted fund's money is for ({@code purpose}, {@code geography}) and when it takes new
 * donations ({@code startsOn} to {@code endsOn}, inclusive, UTC days); every member optional.
 */
public record FundRestrictions(String purpose, String geography, LocalDate startsOn, LocalDate endsOn) {

    public static FundRestrictions none() {
        return new FundRestrictions(null, null, null, null);
    }
}
