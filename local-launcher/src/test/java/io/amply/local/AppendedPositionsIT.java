package io.amply.local;

import io.amply.command.web.EventPositions;
import io.amply.command.web.EventPositions.Published;
import io.amply.command.web.Ids;
import io.amply.events.Visibility;
import io.amply.events.donation.RecordReceivedDonationCommand;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A write's {@code meta.position} comes from the event append itself (AppendedPositions): the thread
 * that appended its events knows their global indexes without asking the event store afterwards.
 */
class AppendedPositionsIT {

    private final TestStack stack = TestStack.get();
    private final Api api = new Api(stack);

    @Test
    void theThreadThatAppendsEventsKnowsTheirGlobalIndexes() throws Exception {
        // given
        Api.Organisation org = api.organisation(Api.admin(), "GBP");
        CommandGateway commands = stack.apps().command().getBean(CommandGateway.class);
        EventPositions positions = stack.apps().command().getBean(EventPositions.class);
        EventPositions.takePublished(); // nothing left over from earlier work on this thread

        // when: a received donation, whose events (the fund's from a nested command too) are appended together
        commands.sendAndWait(new RecordReceivedDonationCommand(Ids.next("don_"), org.id(), org.generalFund(), null,
                700, "GBP", 7, "bank", "bank_transfer", "POSITIONS TEST", Visibility.public_full, "usr_positions_test",
                null, null));
        List<Published> published = EventPositions.takePublished();

        // then: every event's index as the insert returned it, the one the store holds
        assertThat(published).hasSizeGreaterThanOrEqualTo(3);
        long last = 0;
        for (Published event : published) {
            assertThat(event.appendedAt()).as(event.eventIdentifier()).isNotNull()
                    .isEqualTo(storedIndexOf(event.eventIdentifier()));
            last = Math.max(last, event.appendedAt());
        }
        assertThat(positions.positions(published)).containsExactly(Map.entry(published.get(0).traceId(), last));
        assertThat(positions.stored(published)).isEqualTo(positions.positions(published));
    }

    private long storedIndexOf(String eventIdentifier) throws Exception {
        try (Connection superuser = stack.superuser(); PreparedStatement query = superuser.prepareStatement(
                "SELECT global_index FROM domain_event_entry WHERE event_identifier = ?")) {
            query.setString(1, eventIdentifier);
            try (ResultSet rs = query.executeQuery()) {
                assertThat(rs.next()).as("the event is stored").isTrue();
                return rs.getLong(1);
            }
        }
    }
}
