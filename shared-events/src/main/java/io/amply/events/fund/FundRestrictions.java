package io.amply.events.fund;

import java.time.LocalDate;

/** What a restricted fund's money may be spent on; every member optional. */
public record FundRestrictions(String purpose, String geography, LocalDate startsOn, LocalDate endsOn) {

    public static FundRestrictions none() {
        return new FundRestrictions(null, null, null, null);
    }
}
