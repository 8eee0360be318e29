package io.amply.command.donation;

import io.amply.command.RuleViolation;
import io.amply.events.Visibility;
import io.amply.events.donation.DonationReceivedEvent;
import io.amply.events.donation.RecordReceivedDonationCommand;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DonationTest {

    private AggregateTestFixture<Donation> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Donation.class);
    }

    private static RecordReceivedDonationCommand record(long amount, long fee) {
        return new RecordReceivedDonationCommand("don_1", "org_1", "fund_1", null, amount, "GBP", fee, "bank",
                "bank_transfer", "BACS 1", Visibility.public_full, "usr_1");
    }

    @Test
    void recordingAReceivedDonationEmitsDonationReceived() {
        fixture.givenNoPriorActivity()
                .when(record(2500, 30))
                .expectEvents(new DonationReceivedEvent("don_1", "org_1", "fund_1", null, 2500, "GBP", 30, "bank",
                        "bank_transfer", "BACS 1", Visibility.public_full));
    }

    @Test
    void aDonationOfNothingIsRefused() {
        fixture.givenNoPriorActivity().when(record(0, 0)).expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void anAmountBeyondWhatJsonCarriesExactlyIsRefused() {
        fixture.givenNoPriorActivity().when(record(9_007_199_254_740_992L, 0))
                .expectException(RuleViolation.class).expectNoEvents();
    }

    @Test
    void aFeeLargerThanTheDonationIsRefused() {
        fixture.givenNoPriorActivity().when(record(100, 101)).expectException(RuleViolation.class).expectNoEvents();
    }
}
